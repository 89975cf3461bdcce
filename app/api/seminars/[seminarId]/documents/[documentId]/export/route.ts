import {
  parseExportQuery,
  prepareExport,
  renderExport,
  type ExportFile,
  type PreparedExport,
} from "@/lib/server/exports/export-reading";
import { getRequestOrigin } from "@/lib/server/http/request-origin";
import {
  EXPORT_PROGRESS_MEDIA_TYPE,
  exportProgress,
  type ExportFrame,
} from "@/lib/shared/exports/export-progress";
import { isAppError } from "@/lib/shared/errors";
import { handler } from "../../../../../_lib/handler";

type Params = { seminarId: string; documentId: string };

/**
 * Downloads a reading with its threads: `?format=pdf|html|md|csv|jsonld`,
 * `layers=seminar|private|both`, `includeResolved=true|false`,
 * `participantId`, `snapshotId`. The text formats stream. With
 * `progress=true` the answer is progress frames, then the file
 * (lib/shared/exports/export-progress.ts); the request is checked and its
 * data loaded first, so a refusal still comes as a 4xx.
 */
export const GET = handler<Params>(async ({ request, actor, params }) => {
  const { format, options, isProgressWanted } = parseExportQuery(request.nextUrl.searchParams);
  const prepared = await prepareExport(actor, params.seminarId, params.documentId, format, options);
  const origin = await getRequestOrigin();
  if (isProgressWanted) return progressResponse(prepared, origin, request.signal);
  const file = await renderExport(prepared, origin);
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

/**
 * Renders the export while writing its progress as frames, then the file
 * whole behind a frame that gives its name, type and length. A failure once
 * frames have left is an error frame: the status is already sent.
 */
function progressResponse(prepared: PreparedExport, origin: string, signal: AbortSignal): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      // Once the reader has gone (the page cancelled, the tab closed) writes are dropped.
      const write = (bytes: Uint8Array) => {
        if (signal.aborted) return;
        try {
          controller.enqueue(bytes);
        } catch {
          // The stream was cancelled between the check and the write.
        }
      };
      const send = (frame: ExportFrame) => write(encoder.encode(`${JSON.stringify(frame)}\n`));
      const end = () => {
        try {
          controller.close();
        } catch {
          // Already cancelled.
        }
      };
      try {
        send({ progress: exportProgress("loading", 1, 1) });
        const file = await renderExport(prepared, origin, (progress) => send({ progress }));
        const bytes = await fileBytes(file.body);
        send({ progress: exportProgress("done") });
        send({ file: { filename: file.filename, contentType: file.contentType, bytes: bytes.byteLength } });
        write(bytes);
        end();
      } catch (error) {
        // An AppError's message is written for the person who asked; anything else is not shown.
        send({ error: { message: isAppError(error) ? error.message : "The export failed. Try again." } });
        if (!isAppError(error)) console.error("[export] failed after progress began", error);
        end();
      }
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": EXPORT_PROGRESS_MEDIA_TYPE,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      // Frames must reach the page as they are written, not when a proxy's buffer fills.
      "X-Accel-Buffering": "no",
    },
  });
}

/** The whole file as bytes (a streamed text format read to its end). */
async function fileBytes(body: ExportFile["body"]): Promise<Uint8Array> {
  if (typeof body === "string") return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body;
  return new Uint8Array(await new Response(body).arrayBuffer());
}
