/**
 * Export timings: a reading with 1,000 threads (highlights, comments and
 * guiding questions, with flat and nested replies — about 2,000 comments),
 * exported whole in every format, through `exportReading` as the API calls
 * it. Each time covers loading the data (rooms, anchoring) and rendering the
 * file to its last byte; `firstByteMs` is when the first bytes were ready,
 * which for the streamed text formats is long before the last.
 *
 *   tsx bench/exports.ts [--threads 1000] [--runs 3]
 *
 * Uses DATABASE_URL's server when set, else an embedded PostgreSQL under
 * .data/bench-exports; either way in a scratch database it drops at the end.
 * Not part of `npm test`.
 */
import "dotenv/config";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import { anchorToRow } from "../lib/server/annotations/anchor-bytes";
import { loadRoomDoc } from "../lib/server/realtime/load-room-doc";
import { projectAnnotation, writeSeminarRoom } from "../lib/server/realtime/projection";
import { db } from "../lib/server/db";
import { exportReading, type ExportFile, type TExportFormat } from "../lib/server/exports/export-reading";
import type { Prisma } from "../lib/server/generated/prisma/client";
import { seedTextRoom } from "../lib/server/realtime/seed-text-room";
import { createAnchor, type StoredAnchor } from "../lib/shared/anchors/anchor";
import { buildTextIndex, textOffsetToPos } from "../lib/shared/anchors/text-index";
import { createPositionMapper } from "../lib/shared/anchors/y-positions";
import { commentBodyToText, textToCommentBody } from "../lib/shared/comments/comment-body";
import { ROOT_TYPES, roomName } from "../lib/shared/rooms";
import { getReadingSchema } from "../lib/shared/schema/reading-schema";
import { buildSeminar, buildUser } from "../tests/helpers/factories";
import { openScratchDatabase } from "../tests/helpers/scratch-database";

/** One format's timing. */
export type ExportBenchRow = {
  /** md, csv, jsonld, html or pdf. */
  format: string;
  /** Threads in the reading. */
  threads: number;
  /** Median time of a full export, data loading included, to the last byte. */
  ms: number;
  /** Size of the file. */
  bytes: number;
  /** Median time until the first bytes of the file were ready. */
  firstByteMs: number;
};

/** Defaults of {@link benchExports}. */
export const EXPORT_BENCH_DEFAULTS = {
  /** Threads to seed. */
  threads: 1000,
  /** Runs per format (after one warm-up export); the median counts. */
  runs: 3,
  /** Formats, in order; html and pdf are the annotated copies. */
  formats: ["md", "csv", "jsonld", "html", "pdf"] as TExportFormat[],
};

const ORIGIN = "http://localhost:3000";
const WORDS = "close reading asks what a sentence does as well as what it says".split(" ");

/**
 * Seeds a scratch database with a reading of `threads` threads, times a full
 * export of it in each format, drops the database, and returns the timings.
 * A format that cannot run here (the PDF without a Chromium) is left out
 * with a message on stderr.
 */
export async function benchExports(
  options: Partial<typeof EXPORT_BENCH_DEFAULTS> = {},
): Promise<ExportBenchRow[]> {
  const config = { ...EXPORT_BENCH_DEFAULTS, ...options };
  const previousUrl = process.env.DATABASE_URL;
  const scratch = await openScratchDatabase("bench-exports");
  try {
    const { actor, seminarId, documentId } = await seedReading(config.threads);
    const rows: ExportBenchRow[] = [];
    // Warm up: JIT, the connection pool, the room loaders.
    await readAll(await exportReading(actor, seminarId, documentId, "md", {}, ORIGIN));
    for (const format of config.formats) {
      try {
        const samples: { ms: number; bytes: number; firstByteMs: number }[] = [];
        for (let run = 0; run < config.runs; run++) {
          const start = performance.now();
          const file = await exportReading(actor, seminarId, documentId, format, {}, ORIGIN);
          const { bytes, firstByteAt } = await readAll(file);
          samples.push({ ms: performance.now() - start, bytes, firstByteMs: firstByteAt - start });
        }
        rows.push({
          format,
          threads: config.threads,
          ms: Math.round(median(samples.map((sample) => sample.ms))),
          bytes: samples[0]?.bytes ?? 0,
          firstByteMs: Math.round(median(samples.map((sample) => sample.firstByteMs))),
        });
      } catch (error) {
        console.error(`[bench:exports] ${format} skipped: ${(error as Error).message.split("\n")[0]}`);
      }
    }
    return rows;
  } finally {
    if (config.formats.includes("pdf")) {
      const { closePdfBrowser } = await import("../lib/server/exports/pdf/browser-pool");
      await closePdfBrowser();
    }
    await scratch.close();
    if (previousUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previousUrl;
  }
}

/** Reads a file to its end; when its first bytes were ready, and how many there were. */
async function readAll(file: ExportFile): Promise<{ bytes: number; firstByteAt: number }> {
  if (typeof file.body === "string")
    return { bytes: Buffer.byteLength(file.body), firstByteAt: performance.now() };
  if (file.body instanceof Uint8Array) return { bytes: file.body.byteLength, firstByteAt: performance.now() };
  const reader = file.body.getReader();
  let bytes = 0;
  let firstByteAt: number | null = null;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    firstByteAt ??= performance.now();
    bytes += value.byteLength;
  }
  return { bytes, firstByteAt: firstByteAt ?? performance.now() };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * A seminar on the essay with `count` threads spread over the whole text
 * (many overlapping), written as the API writes them — rows, then the
 * seminar room's projection — but in bulk, so seeding takes seconds.
 * The reading-page and sync benches seed the same discussion.
 */
export async function seedReading(count: number) {
  const instructor = await buildUser({ name: "Irene Instructor" });
  const students = await Promise.all(
    ["Sofía Estudiante", "Omar Other", "Ana Lectora", "Bo Reader", "Chen Student"].map((name) =>
      buildUser({ name }),
    ),
  );
  const seminar = await buildSeminar({ instructor, students });
  const seminarId = seminar.id;
  const documentId = seminar.documentId as string;
  const categories = await db.category.findMany({ where: { seminarId }, orderBy: { position: "asc" } });
  const people = [instructor, ...students];

  const anchors = await anchorsAcrossText(documentId, count);
  const start = Date.now() - count * 60_000;
  const at = (minutes: number) => new Date(start + minutes * 60_000);
  const annotations: Prisma.AnnotationCreateManyInput[] = [];
  const comments: Prisma.CommentCreateManyInput[] = [];
  const body = (text: string) => {
    const value = textToCommentBody(text);
    return { body: value as unknown as Prisma.InputJsonValue, bodyText: commentBodyToText(value) };
  };
  anchors.forEach((anchor, i) => {
    const kind = i % 4 === 0 ? "HIGHLIGHT" : i % 4 === 3 ? "GUIDING_QUESTION" : "COMMENT";
    const author = kind === "GUIDING_QUESTION" ? instructor : (students[i % students.length] ?? instructor);
    const id = benchId("a", i);
    annotations.push({
      id,
      seminarId,
      documentId,
      authorId: author.id,
      kind,
      categoryId: kind === "HIGHLIGHT" ? (categories[i % categories.length]?.id ?? null) : null,
      pinned: kind === "GUIDING_QUESTION" && i % 8 === 3,
      resolvedAt: kind === "COMMENT" && i % 10 === 1 ? at(i + 30) : null,
      resolvedById: kind === "COMMENT" && i % 10 === 1 ? instructor.id : null,
      createdAt: at(i),
      ...anchorToRow(anchor),
    });
    if (kind !== "HIGHLIGHT")
      comments.push({
        id: benchId("c", i * 10),
        annotationId: id,
        authorId: author.id,
        createdAt: at(i),
        ...body(sentence(i, kind === "GUIDING_QUESTION" ? "?" : ".")),
      });
    // 0–3 replies; the second answers the first when there are three.
    for (let r = 1; r <= i % 4; r++) {
      comments.push({
        id: benchId("c", i * 10 + r),
        annotationId: id,
        authorId: (people[(i + r) % people.length] ?? instructor).id,
        parentId: r === 2 && i % 4 === 3 ? benchId("c", i * 10 + 1) : null,
        createdAt: at(i + r),
        ...body(`${sentence(i + r, ".")}\n${sentence(i * r, "!")}`),
      });
    }
  });
  // In batches: one room write per batch keeps each transaction well inside its time limit.
  const BATCH = 1000;
  for (let start = 0; start < annotations.length; start += BATCH) {
    const batch = annotations.slice(start, start + BATCH);
    const ids = new Set(batch.map((annotation) => annotation.id as string));
    await db.annotation.createMany({ data: batch });
    await db.comment.createMany({ data: comments.filter((comment) => ids.has(comment.annotationId)) });
    await writeSeminarRoom(seminarId, documentId, async (tx, doc) => {
      if (start === 0) return; // the room's first write projects what is there
      for (const id of ids) await projectAnnotation(tx, doc, id);
    });
  }
  return { actor: { userId: instructor.id }, instructor, seminarId, documentId };
}

/** `count` anchors of 2–8 words, their starts spread evenly over the text. */
async function anchorsAcrossText(documentId: string, count: number): Promise<StoredAnchor[]> {
  await seedTextRoom(documentId);
  const doc = await loadRoomDoc(roomName({ kind: "text", documentId }));
  try {
    const fragment = doc.getXmlFragment(ROOT_TYPES.text);
    const pmDoc = yXmlFragmentToProseMirrorRootNode(fragment, getReadingSchema());
    const index = buildTextIndex(pmDoc);
    const mapper = createPositionMapper(doc, fragment, getReadingSchema());
    const words = [...index.text.matchAll(/\S+/g)].map((match) => ({
      start: match.index,
      end: match.index + match[0].length,
    }));
    const anchors: StoredAnchor[] = [];
    for (let i = 0; i < count; i++) {
      const first = Math.floor((i * words.length) / count);
      const last = Math.min(words.length - 1, first + 1 + (i % 7));
      const from = textOffsetToPos(index.runs, (words[first] as { start: number }).start) as number;
      const to = textOffsetToPos(index.runs, (words[last] as { end: number }).end) as number;
      anchors.push(createAnchor({ doc, fragment, pmDoc, from, to, index, mapper }));
    }
    return anchors;
  } finally {
    doc.destroy();
  }
}

function benchId(prefix: string, n: number): string {
  return `bench${prefix}${n.toString(36).padStart(12, "0")}`;
}

function sentence(seed: number, end: string): string {
  const length = 6 + (seed % 12);
  const words = Array.from({ length }, (_, k) => WORDS[(seed * 7 + k * 3) % WORDS.length] as string);
  const text = words.join(" ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${end}`;
}

/** The rows as a table for a terminal. */
export function formatExportBench(rows: ExportBenchRow[]): string {
  const header = ["format", "threads", "ms", "first byte ms", "bytes"];
  const lines = rows.map((row) => [
    row.format,
    String(row.threads),
    String(row.ms),
    String(row.firstByteMs),
    row.bytes.toLocaleString("en-US"),
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...lines.map((line) => (line[i] as string).length)),
  );
  const format = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number)))
      .join("  ");
  return [format(header), widths.map((width) => "-".repeat(width)).join("  "), ...lines.map(format)].join(
    "\n",
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      threads: { type: "string", default: String(EXPORT_BENCH_DEFAULTS.threads) },
      runs: { type: "string", default: String(EXPORT_BENCH_DEFAULTS.runs) },
    },
  });
  benchExports({ threads: Number(values.threads), runs: Number(values.runs) })
    .then((rows) => {
      console.log(formatExportBench(rows));
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
