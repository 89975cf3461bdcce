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
  // No Content-Length: Next 16 drops it from a route handler's answer (FORBIDDEN_HEADERS in its
  // send-response), so a file is sent chunked; `progress=true` announces the length in its file frame.
  return headers;
}

/**
 * Renders the export while writing its progress as frames, then the file
 * behind a frame that gives its name, type and length (a PDF is copied from
 * its file on disk a chunk at a time, as fast as the reader takes it). A
 * failure once frames have left is an error frame: the status is already
 * sent; a failure inside the file's bytes ends the response short, which the
 * reader sees against the announced length.
 */
function progressResponse(prepared: PreparedExport, origin: string, signal: AbortSignal): Response {
  const encoder = new TextEncoder();
  // A writer whose `ready` waits for the reader, so the file is never queued whole in memory.
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>(
    undefined,
    { highWaterMark: 4 },
    { highWaterMark: 4 },
  );
  const writer = writable.getWriter();
  // Writes go out in the order they are made; each one's promise settles once the reader has
  // room for it, or rejects once the reader has gone (the page cancelled, the tab closed).
  const write = (bytes: Uint8Array) => writer.write(bytes);
  const send = (frame: ExportFrame) => write(encoder.encode(`${JSON.stringify(frame)}\n`));
  const run = async () => {
    let fileBody: ReadableStream<Uint8Array> | null = null;
    let isFileStarted = false;
    try {
      await send({ progress: exportProgress("loading", 1, 1) });
      // Progress is written as it comes, never waited for: a slow reader must not hold the render.
      const file = await renderExport(prepared, origin, (progress) => {
        send({ progress }).catch(() => undefined);
      });
      const { filename, contentType } = file;
      if (file.body instanceof ReadableStream && file.bytes !== undefined) {
        fileBody = file.body;
        await send({ progress: exportProgress("done") });
        await send({ file: { filename, contentType, bytes: file.bytes } });
        isFileStarted = true;
        const reader = fileBody.getReader();
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
          await write(chunk.value);
        fileBody = null;
      } else {
        const bytes = await fileBytes(file.body);
        await send({ progress: exportProgress("done") });
        await send({ file: { filename, contentType, bytes: bytes.byteLength } });
        isFileStarted = true;
        await write(bytes);
      }
      await writer.close();
    } catch (error) {
      // Whatever was not sent of a file is let go (its temporary file removed).
      await fileBody?.cancel().catch(() => undefined);
      if (signal.aborted) return void writer.abort().catch(() => undefined);
      if (!isAppError(error)) console.error("[export] failed after progress began", error);
      // An AppError's message is written for the person who asked; anything else is not shown.
      if (!isFileStarted)
        await send({
          error: { message: isAppError(error) ? error.message : "The export failed. Try again." },
        }).catch(() => undefined);
      await writer.close().catch(() => undefined);
    }
  };
  void run();
  return new Response(readable, {
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
