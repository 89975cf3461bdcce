/**
 * Turns an uploaded file (PDF, DOCX, EPUB, Markdown, HTML, plain text) into a
 * reading in the reading schema — the one entry point the upload flow calls
 * (docs/adr/0013-reading-conversion.md).
 *
 * The conversion runs in a worker thread, never on the server's event loop:
 * parsing a hostile or merely large file cannot stall other requests. The
 * worker has a memory limit (resourceLimits) and a time limit; a file that
 * exceeds either is refused with a clear message and the worker is ended.
 */
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { ConversionResult, ConvertOptions } from "./types";
import { LIMITS } from "./types";

export type {
  ConversionResult,
  ConversionWarning,
  ConvertOptions,
  ConvertedImage,
  UploadFormat,
} from "./types";
export { documentTextOf, withReadingMetadata } from "@/lib/shared/documents/reading-content";

/** How long a conversion may take unless the caller says otherwise (OCR gets longer). */
export const DEFAULT_TIMEOUT_MS = 60_000;
const OCR_TIMEOUT_MS = 10 * 60_000;
/** The worker's heap limit unless the caller says otherwise (ConvertOptions.maxHeapMb). */
const WORKER_HEAP_MB = 768;

/** The worker's entry file, found from the checkout (bundlers must not rewrite it). */
function workerEntry(): string {
  return path.join(process.cwd(), "lib", "server", "imports", "worker-entry.mjs");
}

/** Converts an upload into a reading, or refuses it with a status and a message for a person. */
export function convertUpload(
  input: { bytes: Uint8Array; filename: string; mediaType?: string },
  options: ConvertOptions = {},
): Promise<ConversionResult> {
  if (input.bytes.length > LIMITS.uploadBytes) {
    return Promise.resolve({
      ok: false,
      code: "too-large",
      message: `The file is ${(input.bytes.length / 1024 / 1024).toFixed(1)} MiB; the largest upload is ${LIMITS.uploadBytes / 1024 / 1024} MiB.`,
      status: 413,
    });
  }
  const timeoutMs = options.timeoutMs ?? (options.ocr ? OCR_TIMEOUT_MS : DEFAULT_TIMEOUT_MS);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: ConversionResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    };
    // Reflect.construct, not `new Worker(…)`: Next's bundler (Turbopack) follows a literal
    // `new Worker` into the entry file and tries to bundle tsx and esbuild's binary with it,
    // which fails the build. The entry is loaded by Node at run time from the checkout.
    const worker: Worker = Reflect.construct(Worker, [
      workerEntry(),
      {
        workerData: {
          bytes: input.bytes,
          filename: input.filename,
          mediaType: input.mediaType,
          options: { ocr: options.ocr, chapters: options.chapters },
        },
        resourceLimits: {
          maxOldGenerationSizeMb: options.maxHeapMb ?? WORKER_HEAP_MB,
          maxYoungGenerationSizeMb: Math.min(64, options.maxHeapMb ?? 64),
        },
        stdout: false,
        stderr: false,
      },
    ]);
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          code: "timeout",
          message: `Converting the file took longer than ${Math.round(timeoutMs / 1000)} seconds, so it was stopped. Try a smaller file, or save it in another format.`,
          status: 422,
        }),
      timeoutMs,
    );
    worker.on(
      "message",
      (message: { type: string; result?: ConversionResult; stage?: string; fraction?: number }) => {
        if (message.type === "progress")
          options.onProgress?.({ stage: message.stage ?? "", fraction: message.fraction ?? 0 });
        else if (message.type === "result" && message.result) finish(restoreBytes(message.result));
      },
    );
    worker.on("error", (error: Error & { code?: string }) => {
      const outOfMemory = error.code === "ERR_WORKER_OUT_OF_MEMORY";
      finish({
        ok: false,
        code: outOfMemory ? "too-large" : "malformed",
        message: outOfMemory
          ? "Converting the file needed more memory than a reading may use, so it was stopped."
          : `The file could not be converted: ${error.message}`,
        status: outOfMemory ? 413 : 422,
      });
    });
    worker.on("exit", (code) => {
      finish({
        ok: false,
        code: "malformed",
        message: `The converter stopped unexpectedly (exit ${code}).`,
        status: 422,
      });
    });
  });
}

/** Structured clone turns Uint8Array subclasses (Buffer) into plain Uint8Arrays; keep that explicit. */
function restoreBytes(result: ConversionResult): ConversionResult {
  if (!result.ok) return result;
  return {
    ...result,
    images: result.images.map((image) => ({ ...image, bytes: new Uint8Array(image.bytes) })),
  };
}
