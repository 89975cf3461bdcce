/**
 * The conversion itself, format by format. Runs inside the conversion worker
 * (worker.ts); convert.ts is the entry point the app calls.
 */
import { detectFormat, sniff } from "./detect";
import type { SafeZip } from "./zip";
import { finishDraft, type ReadingDraft } from "./reading-draft";
import {
  ConversionRefusal,
  LIMITS,
  type ConversionResult,
  type ConvertOptions,
  type UploadFormat,
} from "./types";

/** Converts an upload in the current thread (the worker calls this). */
export async function runConversion(
  input: { bytes: Uint8Array; filename: string; mediaType?: string },
  options: Omit<ConvertOptions, "timeoutMs" | "maxHeapMb"> = {},
): Promise<ConversionResult> {
  try {
    if (input.bytes.length > LIMITS.uploadBytes) {
      throw new ConversionRefusal(
        "too-large",
        `The file is larger than ${LIMITS.uploadBytes / 1024 / 1024} MiB.`,
        413,
      );
    }
    if (input.bytes.length === 0) throw new ConversionRefusal("empty", "The file is empty.", 422);
    const progress = options.onProgress ?? (() => {});
    progress({ stage: "detecting", fraction: 0 });
    let zipKind: "docx" | "epub" | "other" | undefined;
    let zip: SafeZip | undefined;
    if (sniff(input.bytes) === "zip") {
      const { openSafeZip } = await import("./zip");
      zip = await openSafeZip(input.bytes);
      zipKind = zip.kind;
    }
    const format: UploadFormat = detectFormat({ bytes: input.bytes, filename: input.filename, zipKind });
    progress({ stage: "converting", fraction: 0.1 });
    const draft = await convertFormat(format, input.bytes, zip, options);
    progress({ stage: "checking", fraction: 0.95 });
    const result = finishDraft(draft, format, input.filename);
    progress({ stage: "done", fraction: 1 });
    return result;
  } catch (error) {
    if (error instanceof ConversionRefusal) {
      return { ok: false, code: error.code, message: error.message, status: error.status };
    }
    return {
      ok: false,
      code: "malformed",
      message: `The file could not be read: ${(error as Error).message ?? String(error)}`,
      status: 422,
    };
  }
}

async function convertFormat(
  format: UploadFormat,
  bytes: Uint8Array,
  zip: SafeZip | undefined,
  options: Omit<ConvertOptions, "timeoutMs">,
): Promise<ReadingDraft> {
  const text = () => new TextDecoder().decode(bytes);
  switch (format) {
    case "text": {
      const { convertText } = await import("./formats/text");
      return convertText(text()).draft;
    }
    case "markdown": {
      const { convertMarkdown } = await import("./formats/markdown");
      return convertMarkdown(text());
    }
    case "html": {
      const { convertHtml } = await import("./formats/html");
      return convertHtml(text());
    }
    case "docx": {
      const { convertDocx } = await import("./formats/docx");
      return convertDocx(bytes, zip as SafeZip);
    }
    case "epub": {
      const { convertEpub } = await import("./formats/epub");
      return convertEpub(zip as SafeZip, options);
    }
    case "pdf": {
      const { convertPdf } = await import("./formats/pdf");
      return convertPdf(bytes, options);
    }
  }
}
