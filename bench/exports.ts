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
import { exportReading, type ExportFile, type TExportFormat } from "../lib/server/exports/export-reading";
import { seedReading } from "../tests/helpers/large-discussion";
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
