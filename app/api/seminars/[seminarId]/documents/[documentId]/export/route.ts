import { exportReading, parseExportQuery, type ExportFile } from "@/lib/server/exports/export-reading";
import { getRequestOrigin } from "@/lib/server/http/request-origin";
import { handler } from "../../../../../_lib/handler";

type Params = { seminarId: string; documentId: string };

/**
 * Downloads a reading with its threads: `?format=pdf|html|md|csv|jsonld`,
 * `layers=seminar|private|both`, `includeResolved=true|false`,
 * `participantId`, `snapshotId`. The text formats stream.
 */
export const GET = handler<Params>(async ({ request, actor, params }) => {
  const { format, options } = parseExportQuery(request.nextUrl.searchParams);
  const file = await exportReading(
    actor,
    params.seminarId,
    params.documentId,
    format,
    options,
    await getRequestOrigin(),
  );
  return new Response(file.body as BodyInit, { headers: downloadHeaders(file) });
});

/** Attachment headers; a private download (it may hold private notes), never cached. */
function downloadHeaders(file: ExportFile): Headers {
  const headers = new Headers({
    "Content-Type": file.contentType,
    "Content-Disposition": `attachment; filename="${file.filename}"`,
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
  });
  if (typeof file.body === "string") headers.set("Content-Length", String(Buffer.byteLength(file.body)));
  else if (file.body instanceof Uint8Array) headers.set("Content-Length", String(file.body.byteLength));
  return headers;
}
