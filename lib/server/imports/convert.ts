/**
 * Converts an uploaded file into a text in the reading schema.
 *
 * Interim version: plain text only (Marginalia's own format, or ordinary
 * prose split at blank lines). The full pipeline (PDF, DOCX, EPUB, Markdown,
 * HTML) replaces this file; its interface stays as declared here.
 */
import type { JSONContent } from "@tiptap/core";
import { isAppError } from "@/lib/shared/errors";
import { parsePlainText } from "@/lib/shared/documents/parse-plain-text";

/** What a conversion produced, or why it refused the file. */
export type ConversionResult =
  | {
      ok: true;
      format: "pdf" | "docx" | "epub" | "markdown" | "html" | "text";
      content: JSONContent;
      metadata: { title: string; byline: string; source: string; date: string | null };
      found: {
        sections: number;
        notes: number;
        pages: number;
        images: number;
        tables: number;
        verseLines: number;
      };
      chapters?: { title: string; index: number }[];
      images: { key: string; mediaType: string; bytes: Uint8Array; alt: string }[];
      warnings: { code: string; message: string }[];
    }
  | { ok: false; code: string; message: string; status: 400 | 413 | 415 | 422 };

/** Options of {@link convertUpload}. */
export type ConversionOptions = {
  ocr?: boolean;
  chapters?: number[];
  timeoutMs?: number;
  onProgress?: (p: { stage: string; fraction: number }) => void;
};

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** Converts one uploaded file. */
export function convertUpload(
  input: { bytes: Uint8Array; filename: string; mediaType?: string },
  options: ConversionOptions = {},
): Promise<ConversionResult> {
  return Promise.resolve(convertSync(input, options));
}

function convertSync(
  input: { bytes: Uint8Array; filename: string; mediaType?: string },
  options: ConversionOptions,
): ConversionResult {
  options.onProgress?.({ stage: "reading", fraction: 0 });
  if (
    input.bytes[0] === 0x25 &&
    input.bytes[1] === 0x50 &&
    input.bytes[2] === 0x44 &&
    input.bytes[3] === 0x46
  ) {
    return {
      ok: false,
      code: "unsupported_format",
      message: "PDF files cannot be converted yet.",
      status: 415,
    };
  }
  let raw: string;
  try {
    raw = UTF8.decode(input.bytes);
  } catch {
    return {
      ok: false,
      code: "unsupported_format",
      message: `“${input.filename}” is not a text file this server can read.`,
      status: 415,
    };
  }
  const result = convertText(raw, input.filename);
  options.onProgress?.({ stage: "done", fraction: 1 });
  return result;
}

function convertText(raw: string, filename: string): ConversionResult {
  const found = { sections: 0, notes: 0, pages: 0, images: 0, tables: 0, verseLines: 0 };
  try {
    const parsed = parsePlainText(raw);
    return {
      ok: true,
      format: "text",
      content: parsed.content,
      metadata: {
        title: parsed.title,
        byline: parsed.byline,
        source: parsed.source.line,
        date: parsed.source.date,
      },
      found: { ...found, notes: parsed.notes.length },
      images: [],
      warnings: [],
    };
  } catch (error) {
    if (!isAppError(error)) throw error;
  }
  const blocks = raw
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((block) => block.replace(/\s+/g, " ").trim())
    .filter(Boolean);
  if (blocks.length === 0)
    return { ok: false, code: "empty", message: "The file holds no text.", status: 422 };
  const title =
    blocks.length > 1 && (blocks[0] as string).length <= 200 ? (blocks.shift() as string) : filename;
  return {
    ok: true,
    format: "text",
    content: {
      type: "doc",
      content: [
        { type: "title", content: [{ type: "text", text: title }] },
        ...blocks.map((text) => ({ type: "paragraph", content: [{ type: "text", text }] })),
      ],
    },
    metadata: { title, byline: "", source: "", date: null },
    found,
    images: [],
    warnings: [],
  };
}
