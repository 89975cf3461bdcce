/**
 * Exports a seminar's reading with its threads in one of five formats: the
 * annotated copy (PDF, HTML), Markdown, CSV, or W3C Web Annotation JSON-LD.
 * The data and its policies come from loadExportData; each format only
 * presents it. The text formats stream, so that a large export starts
 * arriving as soon as the data is loaded.
 */
import { z } from "zod";
import type { ExportProgress } from "@/lib/shared/exports/export-progress";
import { parseInput } from "../parse-input";
import type { Actor } from "../policies";
import { csvChunks } from "./csv";
import { jsonldChunks } from "./jsonld";
import { loadExportData, type ExportData } from "./load-export-data";
import { markdownChunks } from "./markdown";
import { streamChunks } from "./stream-chunks";

/** The formats, as the `format` query parameter names them. */
export const EXPORT_FORMATS = ["pdf", "html", "md", "csv", "jsonld"] as const;
/** One of {@link EXPORT_FORMATS}. */
export const ZExportFormat = z.enum(EXPORT_FORMATS, {
  error: `Choose a format: ${EXPORT_FORMATS.join(", ")}.`,
});
/** One of {@link EXPORT_FORMATS}. */
export type TExportFormat = z.infer<typeof ZExportFormat>;

const ZQueryFlag = z
  .enum(["true", "false", "1", "0", "on", "off"], { error: "Use true or false." })
  .transform((value) => value === "true" || value === "1" || value === "on");
const ZQueryId = z
  .string()
  .max(40)
  .transform((value) => value || null);

/** The export request's query string: the format and the options of loadExportData. */
export const ZExportQuery = z.object({
  format: ZExportFormat,
  layers: z.enum(["seminar", "private", "both"]).default("seminar"),
  includeResolved: ZQueryFlag.default(true),
  participantId: ZQueryId.nullable().default(null),
  snapshotId: ZQueryId.nullable().default(null),
  /** Answer with progress frames ahead of the file (lib/shared/exports/export-progress.ts). */
  progress: ZQueryFlag.default(false),
});
/** A parsed export request. */
export type TExportQuery = z.infer<typeof ZExportQuery>;

/** Reads an export request's query string; invalid_input with a message when it does not fit. */
export function parseExportQuery(params: URLSearchParams): {
  format: TExportFormat;
  options: Omit<TExportQuery, "format" | "progress">;
  isProgressWanted: boolean;
} {
  const { format, progress, ...options } = parseInput(ZExportQuery, Object.fromEntries(params), {
    fallback: "Check the export options.",
    namesField: "query",
  });
  return { format, options, isProgressWanted: progress };
}

/** A file to download. */
export type ExportFile = {
  /** A plain ASCII name, e.g. `trotsky-guest-of-the-revolution-annotations.md`. */
  filename: string;
  /** The media type with its charset. */
  contentType: string;
  /** Streamed for the text formats and the PDF (from its file on disk), whole for the HTML copy. */
  body: ReadableStream<Uint8Array> | string | Uint8Array;
  /** The body's length when it is known before it is read (the PDF's file). */
  bytes?: number;
};

const CONTENT_TYPES: Record<TExportFormat, string> = {
  pdf: "application/pdf",
  html: "text/html; charset=utf-8",
  md: "text/markdown; charset=utf-8",
  csv: "text/csv; charset=utf-8; header=present",
  // The Web Annotation Protocol's media type for annotations.
  jsonld: 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
};

/**
 * Exports a reading. Members only (others get not_found); private notes are
 * only ever the exporter's own (loadExportData enforces both).
 */
export async function exportReading(
  actor: Actor,
  seminarId: string,
  documentId: string,
  format: unknown,
  options: unknown,
  origin: string,
): Promise<ExportFile> {
  return renderExport(await prepareExport(actor, seminarId, documentId, format, options), origin);
}

/** An export whose request was checked and whose data is loaded: only rendering is left. */
export type PreparedExport = { format: TExportFormat; data: ExportData };

/**
 * Checks an export request and loads its data: every refusal (a bad format,
 * not a member, a snapshot of another reading) is thrown here, before any
 * byte of an answer, so that a caller streaming progress can still answer
 * with its status.
 */
export async function prepareExport(
  actor: Actor,
  seminarId: string,
  documentId: string,
  format: unknown,
  options: unknown,
): Promise<PreparedExport> {
  const kind = parseInput(ZExportFormat, format, { fallback: "Choose a format." });
  return { format: kind, data: await loadExportData(actor, seminarId, documentId, options) };
}

/** Renders a prepared export; the PDF reports its progress to `onProgress` as it goes. */
export async function renderExport(
  { format, data }: PreparedExport,
  origin: string,
  onProgress?: (progress: ExportProgress) => void,
): Promise<ExportFile> {
  return {
    filename: exportFilename(data, format),
    contentType: CONTENT_TYPES[format],
    ...(await render(format, data, origin, onProgress)),
  };
}

async function render(
  format: TExportFormat,
  data: ExportData,
  origin: string,
  onProgress?: (progress: ExportProgress) => void,
): Promise<Pick<ExportFile, "body" | "bytes">> {
  switch (format) {
    case "md":
      return { body: streamChunks(markdownChunks(data, origin)) };
    case "csv":
      return { body: streamChunks(csvChunks(data)) };
    case "jsonld":
      return { body: streamChunks(jsonldChunks(data, origin)) };
    case "html": {
      // Loaded on demand: the annotated copies bring their own renderers.
      const { htmlExportChunks } = await import("./html/document");
      return { body: streamChunks(htmlExportChunks(data, origin)) };
    }
    case "pdf": {
      // Printed in batches to a temporary file, streamed from there (docs/adr/0028).
      const { renderPdfExport } = await import("./pdf/render-pdf");
      return renderPdfExport(data, origin, onProgress);
    }
  }
}

const EXTENSIONS: Record<TExportFormat, string> = {
  pdf: "pdf",
  html: "html",
  md: "md",
  csv: "csv",
  jsonld: "jsonld",
};

/** The download's name: the text's slug, what it holds, and the snapshot if any. */
export function exportFilename(data: ExportData, format: TExportFormat): string {
  const parts = [slugify(data.document.slug || data.document.title) || "reading"];
  parts.push(data.options.layers === "private" ? "notes" : "annotations");
  if (data.snapshot) parts.push(["snapshot", slugify(data.snapshot.name)].filter(Boolean).join("-"));
  return `${parts.join("-")}.${EXTENSIONS[format]}`;
}

/** ASCII letters, digits and hyphens only, so the name needs no quoting or encoding in a header. */
export function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
}
