/**
 * The result types of converting an uploaded file into a reading. Shared by
 * the public entry point (convert.ts), the worker and every format.
 */
import type { JSONContent } from "@tiptap/core";

/** Something the conversion changed or could not keep, in plain words. */
export type ConversionWarning = { code: string; message: string };

/** The formats an upload may be in. */
export type UploadFormat = "pdf" | "docx" | "epub" | "markdown" | "html" | "text";

/** An image kept from the file; `key` is what the text's figure node refers to. */
export type ConvertedImage = { key: string; mediaType: string; bytes: Uint8Array; alt: string };

/** What the conversion found, for the preview. */
export type ConversionFound = {
  sections: number;
  notes: number;
  pages: number;
  images: number;
  tables: number;
  verseLines: number;
};

/** The metadata read from the file (editable in the preview). */
export type ConversionMetadata = { title: string; byline: string; source: string; date: string | null };

/** A converted reading, or a refusal with an HTTP status and a message for a person. */
export type ConversionResult =
  | {
      ok: true;
      format: UploadFormat;
      content: JSONContent;
      metadata: ConversionMetadata;
      found: ConversionFound;
      chapters?: { title: string; index: number }[];
      images: ConvertedImage[];
      warnings: ConversionWarning[];
    }
  | {
      ok: false;
      code:
        "unsupported-type" | "too-large" | "scanned-pdf" | "malformed" | "timeout" | "unsafe" | (string & {});
      message: string;
      status: 400 | 413 | 415 | 422;
    };

/** Options of a conversion. */
export type ConvertOptions = {
  /** Recognise the text of a scanned PDF with tesseract. */
  ocr?: boolean;
  /** EPUB: convert only these chapters (indexes from `chapters`). */
  chapters?: number[];
  /** Give up after this long (default 60 s). */
  timeoutMs?: number;
  /** The worker's heap limit in MiB (default 768); a conversion that needs more is refused as too large. */
  maxHeapMb?: number;
  onProgress?: (p: { stage: string; fraction: number }) => void;
};

/** A refusal, thrown inside a converter and turned into a `{ ok: false }` result. */
export class ConversionRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: 400 | 413 | 415 | 422 = 422,
  ) {
    super(message);
  }
}

/** Limits every conversion keeps to. */
export const LIMITS = {
  /** The largest upload. */
  uploadBytes: 25 * 1024 * 1024,
  /** The most a DOCX or EPUB may unpack to, all entries together. */
  uncompressedBytes: 100 * 1024 * 1024,
  /** The most entries a DOCX or EPUB may have. */
  zipEntries: 5000,
  /** The largest image kept. */
  imageBytes: 5 * 1024 * 1024,
  /** The most pages of a PDF. */
  pdfPages: 2000,
} as const;
