/**
 * Which format an upload is, read from its bytes. The extension only chooses
 * between formats the bytes allow (a text file may be Markdown, HTML or plain
 * text); an extension that contradicts the bytes is refused.
 */
import { ConversionRefusal, type UploadFormat } from "./types";

const EXTENSIONS: Record<string, UploadFormat> = {
  pdf: "pdf",
  docx: "docx",
  epub: "epub",
  md: "markdown",
  markdown: "markdown",
  html: "html",
  htm: "html",
  xhtml: "html",
  txt: "text",
  text: "text",
};

const NAMES: Record<UploadFormat, string> = {
  pdf: "a PDF",
  docx: "a Word document (DOCX)",
  epub: "an EPUB",
  markdown: "Markdown",
  html: "a web page (HTML)",
  text: "plain text",
};

const startsWith = (bytes: Uint8Array, ascii: string) =>
  bytes.length >= ascii.length && [...ascii].every((c, i) => bytes[i] === c.charCodeAt(0));

/** The kind of container the bytes are. */
export function sniff(bytes: Uint8Array): "pdf" | "zip" | "text" | "other" {
  if (startsWith(bytes, "%PDF-")) return "pdf";
  // A PDF may have a little junk before its header (the spec allows 1024 bytes).
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 1024));
  if (head.includes("%PDF-")) return "pdf";
  if (startsWith(bytes, "PK\x03\x04")) return "zip";
  if (isText(bytes)) return "text";
  return "other";
}

/** UTF-8 (or ASCII) without NUL or other control bytes that text never has. */
function isText(bytes: Uint8Array): boolean {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, 64 * 1024));
    // Control characters other than tab, line breaks, form feed and escape never occur in text.
    return ![...text].some((c) => {
      const code = c.charCodeAt(0);
      return code < 0x20 && ![0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1b].includes(code);
    });
  } catch {
    // A cut in the middle of a multi-byte character at the 64 KiB boundary is fine.
    if (bytes.length > 64 * 1024) return isText(bytes.subarray(0, 64 * 1024 - 3));
    return false;
  }
}

/**
 * The format of an upload. `zipKind` tells DOCX from EPUB by the archive's
 * entries (read by the caller, which opens the archive anyway).
 */
export function detectFormat(input: {
  bytes: Uint8Array;
  filename: string;
  zipKind?: "docx" | "epub" | "other";
}): UploadFormat {
  const extension = /\.([a-z0-9]+)$/i.exec(input.filename)?.[1]?.toLowerCase() ?? "";
  const claimed: UploadFormat | undefined = EXTENSIONS[extension];
  const kind = sniff(input.bytes);
  let actual: UploadFormat;
  if (kind === "pdf") actual = "pdf";
  else if (kind === "zip") {
    if (input.zipKind === "docx" || input.zipKind === "epub") actual = input.zipKind;
    else throw new ConversionRefusal("unsupported-type", unsupported(input.filename, "a ZIP archive"), 415);
  } else if (kind === "text") {
    actual = textFormat(input.bytes, claimed);
  } else {
    throw new ConversionRefusal(
      "unsupported-type",
      unsupported(input.filename, "not a kind of file we read"),
      415,
    );
  }
  if (extension && !claimed) {
    throw new ConversionRefusal(
      "unsupported-type",
      `“${input.filename}” has an extension we do not read (.${extension}). Upload a PDF, DOCX, EPUB, Markdown, HTML or text file.`,
      415,
    );
  }
  const textual = (f: UploadFormat) => f === "markdown" || f === "html" || f === "text";
  if (claimed && claimed !== actual && !(textual(claimed) && textual(actual))) {
    throw new ConversionRefusal(
      "wrong-extension",
      `“${input.filename}” is named as ${NAMES[claimed]}, but its content is ${NAMES[actual]}. Rename it or export it again, then upload it.`,
      415,
    );
  }
  return actual;
}

function textFormat(bytes: Uint8Array, claimed: UploadFormat | undefined): UploadFormat {
  const head = new TextDecoder()
    .decode(bytes.subarray(0, 4096))
    .replace(/^\uFEFF/, "")
    .trimStart();
  const looksHtml = /^(?:<!doctype html|<html[\s>]|<\?xml[^>]*>\s*(?:<!DOCTYPE html|<html))/i.test(head);
  if (claimed === "html" || looksHtml) return "html";
  if (claimed === "markdown") return "markdown";
  return "text";
}

function unsupported(filename: string, what: string): string {
  return `“${filename}” is ${what}. Upload a PDF (with selectable text), a Word document (DOCX), an EPUB, Markdown, HTML or a plain text file.`;
}
