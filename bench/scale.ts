/**
 * A discussion at the size of a real course (issue 12), at 100, 1,000 and
 * 10,000 threads (about as many comments again), seeded in bulk by
 * tests/helpers/large-discussion.ts into the bench's scratch database:
 *
 * - review: the review page over HTTP from the whole app (`server/start.ts`,
 *   built when its sources changed), as the instructor: time to the first
 *   results in the streamed HTML, to the end, and its bytes; cold (the first
 *   request after seeding), warm, and with each kind of filter;
 * - exports: every format through `renderExport` as the API calls it, to the
 *   last byte, with the bench process's RSS peak (above its RSS before) and,
 *   for the PDF, Chromium's; for the PDF also its pages, how often progress
 *   was reported and the longest wait between two reports;
 * - sync: a y-websocket client (WebsocketProvider) joining the seminar room
 *   on the collab server: connect → synced, and the bytes a raw y-protocols
 *   client receives to be synced;
 * - writes: students creating comment threads through the HTTP API (8 in
 *   parallel) on top of the seeded discussion: writes per second and each
 *   write's latency, against the smallest size's (a write's cost should not
 *   grow with the discussion).
 *
 * Each section prints its figures with the ratio to the goal. Timing
 * only: correctness at 10,000 is tested (tests/review/review-at-scale.test.ts).
 */
import { performance } from "node:perf_hooks";
import { db, disconnectDb } from "../lib/server/db";
import { resetEnv } from "../lib/server/env";
import { prepareExport, renderExport, type ExportFile } from "../lib/server/exports/export-reading";
import { roomName } from "../lib/shared/rooms";
import { startAppServer } from "../tests/helpers/app-server";
import { openScratchDatabase } from "../tests/helpers/scratch-database";
import { sessionCookie } from "../tests/helpers/collab";
import { anchorsAcrossText, seedReading, seededThreadId } from "../tests/helpers/large-discussion";
import { signedInAs } from "../tests/helpers/http-session";
import { textToCommentBody } from "../lib/shared/comments/comment-body";
import { connectLeanClients, connectRealClient, LeanClient, type Endpoint } from "./clients";
import { withMemoryPeaks } from "./memory";

/** The sections of this file, as `--only` names them. */
export const SCALE_SECTIONS = ["review", "exports", "sync", "writes"] as const;

/** The goals. */
const GOALS = {
  /** First results of the review page, ms. */
  reviewFirstResultsMs: 500,
  /** A PDF export, ms. */
  pdfMs: 15_000,
  /** An HTML, Markdown or JSON-LD export (CSV too), ms. */
  textExportMs: 1_000,
  /** Seminar room: connect → synced, ms. */
  syncMs: 250,
  /** Seminar room: bytes a reader needs first. */
  syncBytes: 1024 * 1024,
  /** A write's median latency at any size, against the smallest size's: flat (reported as grown past 1.5×). */
  writeGrowth: 1.0,
};

/** Threads each size's writes section creates, and how many at once. */
const WRITES = 240;
const WRITE_CONCURRENCY = 8;

type Seeded = Awaited<ReturnType<typeof seedReading>> & { threads: number; cookie: string };

type Options = {
  sizes: number[];
  sections: Set<string>;
  /** Runs per measurement (the median is printed); the 10,000-thread PDF runs once. */
  runs: number;
  /** Starts the collab server alone (bench/run.ts's startServer) for the sync section, `config` on its defaults. */
  startCollab: (config?: Record<string, unknown>) => Promise<Endpoint & { stop(): Promise<void> }>;
};

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const fmtMs = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : "—");
const fmtBytes = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
const against = (value: number, goal: number) =>
  `${(value / goal).toFixed(2)}× goal${value <= goal ? "" : " (MISSED)"}`;

/**
 * Runs the sections asked for at each size, each size in a scratch database
 * of its own (the seeder's ids are fixed), then prints one table per section.
 */
export async function benchScale(options: Options): Promise<void> {
  const rows = {
    review: [] as string[][],
    exports: [] as string[][],
    sync: [] as string[][],
    writes: [] as string[][],
  };
  /** The smallest size's median write, the baseline the others are held against. */
  let writeBaseline: number | null = null;
  const givenUrl = process.env.DATABASE_URL;
  try {
    for (const threads of options.sizes) {
      // Each scratch database is made on the server the bench was given (the last one is gone).
      await disconnectDb();
      if (givenUrl === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = givenUrl;
      resetEnv();
      // Sync's befores, each seeded in a scratch database of its own and measured in the same
      // run as the after: `full`, every comment in the room (before docs/adr/0027); `objects`,
      // lean threads with entries as objects key by key (before docs/adr/0032).
      // BENCH_SYNC_SHAPES=lean skips both (seeding a full 10,000-thread room outlasts the room
      // transaction's 20 s on a loaded machine).
      const befores = (process.env.BENCH_SYNC_SHAPES ?? "full,objects,lean").split(",");
      const beforeSeeds = [
        {
          shape: "full",
          label: "full (before)",
          seed: { roomShape: "full" as const, entryForm: "objects" as const },
          isAlsoSentPlain: false,
        },
        {
          shape: "objects",
          label: "lean objects",
          seed: { entryForm: "objects" as const },
          isAlsoSentPlain: true,
        },
      ];
      for (const before of beforeSeeds) {
        if (!options.sections.has("sync") || !befores.includes(before.shape)) continue;
        const scratch = await openScratchDatabase(`scale${threads}${before.shape}`);
        try {
          const reading = await seedReading(threads, before.seed);
          const seeded = { ...reading, threads, cookie: (await sessionCookie(reading.instructor)).cookie };
          if (before.isAlsoSentPlain)
            rows.sync.push(
              ...(await benchSync(seeded, options, `${before.label}, plain`, { compressAboveBytes: 0 })),
            );
          rows.sync.push(...(await benchSync(seeded, options, before.label)));
        } finally {
          await scratch.close();
        }
        await disconnectDb();
        if (givenUrl === undefined) delete process.env.DATABASE_URL;
        else process.env.DATABASE_URL = givenUrl;
        resetEnv();
      }
      const scratch = await openScratchDatabase(`scale${threads}`);
      try {
        const started = performance.now();
        const reading = await seedReading(threads);
        const seeded = { ...reading, threads, cookie: (await sessionCookie(reading.instructor)).cookie };
        console.log(
          `  seeded ${threads.toLocaleString("en-US")} threads in ${fmtMs(performance.now() - started)} ms`,
        );
        // Sync first, right after seeding, as the befores above are: after the exports, this
        // process holds what the 10,000-thread exports left (+200 MB, the PDF's Chromium still
        // open), and its y-websocket client, which decodes the 10 MB room, ran ~2× slower
        // (2026-12-07: 253 / 318 ms plain / compressed there, 129–154 / 144–151 alone).
        if (options.sections.has("sync")) {
          // The same room sent plainly, then as the server sends it (permessage-deflate for
          // large messages, server/collab/compression.ts): the ratio of the two is compression's.
          rows.sync.push(
            ...(await benchSync(seeded, options, "lean text, plain", { compressAboveBytes: 0 })),
          );
          rows.sync.push(...(await benchSync(seeded, options, "lean text (after)")));
        }
        if (options.sections.has("review")) rows.review.push(...(await benchReview(seeded, options.runs)));
        if (options.sections.has("exports"))
          rows.exports.push(...(await benchScaleExports(seeded, options.runs)));
        if (options.sections.has("writes")) {
          const writes = await benchWrites(seeded);
          writeBaseline ??= writes.p50;
          rows.writes.push(writeRow(threads, writes, writeBaseline));
        }
      } finally {
        await scratch.close();
      }
    }
  } finally {
    const { closePdfBrowser } = await import("../lib/server/exports/pdf/browser-pool");
    await closePdfBrowser();
    if (givenUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = givenUrl;
    resetEnv();
  }
  if (options.sections.has("review")) {
    console.log("");
    console.log(
      "Review page over HTTP (the whole app, as the instructor): first results / complete, ms, and bytes of HTML",
    );
    console.log(
      table(
        ["threads", "view", "first results", "complete", "bytes", "first results vs goal (500 ms)"],
        rows.review,
      ),
    );
  }
  if (options.sections.has("exports")) {
    console.log("");
    console.log(
      "Exports (prepareExport + renderExport as the API calls them, to the last byte; median of runs, the PDF at most twice and once at 10,000)",
    );
    console.log(
      table(
        [
          "threads",
          "format",
          "ms",
          "first byte",
          "bytes",
          "pages",
          "vs goal",
          "RSS peak (first run)",
          "progress",
        ],
        rows.exports,
      ),
    );
  }
  if (options.sections.has("sync")) {
    console.log("");
    console.log(
      "Seminar room sync (collab server alone): a y-websocket client connect → synced, ms (median); the state's bytes, and what that client read off the wire (permessage-deflate, offered as browsers do)",
    );
    console.log(
      table(
        [
          "threads",
          "room",
          "synced ms",
          "vs goal (250 ms)",
          "state",
          "on the wire",
          "vs goal (1 MB)",
          "one thread's body",
          `${CLASS_SIZE} readers at once, until the last has the room`,
        ],
        rows.sync,
      ),
    );
  }
  if (options.sections.has("writes")) {
    console.log("");
    console.log(
      `Creating comment threads through the API on top of the discussion (${WRITES} writes, ${WRITE_CONCURRENCY} at once, students of the seminar)`,
    );
    console.log(
      table(
        [
          "threads before",
          "writes/s",
          "p50 ms",
          "p95 ms",
          "max ms",
          "p50 vs the smallest size (goal: flat, 1.0×)",
        ],
        rows.writes,
      ),
    );
  }
}

// ---------------------------------------------------------------- writes

type WriteFigures = { perSecond: number; p50: number; p95: number; max: number };

/**
 * Students of the seeded seminar create {@link WRITES} comment threads through
 * the HTTP API, {@link WRITE_CONCURRENCY} at a time, on passages spread over
 * the text, against the whole app: each write is the row, its first comment
 * and the seminar room's projection in one transaction (docs/architecture.md §4).
 */
async function benchWrites(reading: Seeded): Promise<WriteFigures> {
  const app = await startAppServer();
  try {
    const students = await db.user.findMany({
      where: { memberships: { some: { seminarId: reading.seminarId, role: "STUDENT" } } },
      select: { email: true },
    });
    const as = signedInAs(() => app.url);
    const sessions = await Promise.all(students.map((student) => as(student)));
    // One more passage than writes: the last is the warm-up's.
    const anchors = await anchorsAcrossText(reading.documentId, WRITES + 1);
    const path = `/api/seminars/${reading.seminarId}/documents/${reading.documentId}/annotations`;
    const latencies: number[] = [];
    let next = 0;
    const write = async (i: number) => {
      const session = sessions[i % sessions.length] as (typeof sessions)[number];
      const started = performance.now();
      const response = await session.sendJson("POST", path, {
        id: `w${reading.threads.toString(36)}x${i.toString(36).padStart(14, "0")}`,
        kind: "COMMENT",
        anchor: anchors[i],
        body: textToCommentBody(`A reply to the reading, number ${i + 1}.`),
      });
      latencies.push(performance.now() - started);
      if (response.status !== 201)
        throw new Error(`write ${i} answered ${response.status}: ${JSON.stringify(response.body)}`);
    };
    // Warm the route (its first request compiles and connects) before the clock starts.
    await write(WRITES);
    latencies.length = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: WRITE_CONCURRENCY }, async () => {
        while (next < WRITES) await write(next++);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const sorted = [...latencies].sort((a, b) => a - b);
    const at = (q: number) =>
      sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
    process.stdout.write(`  writes at ${reading.threads}: done\n`);
    return { perSecond: WRITES / seconds, p50: at(0.5), p95: at(0.95), max: sorted.at(-1) ?? Number.NaN };
  } finally {
    await app.stop();
  }
}

function writeRow(threads: number, figures: WriteFigures, baseline: number): string[] {
  const growth = figures.p50 / baseline;
  return [
    threads.toLocaleString("en-US"),
    figures.perSecond.toFixed(1),
    fmtMs(figures.p50),
    fmtMs(figures.p95),
    fmtMs(figures.max),
    `${growth.toFixed(2)}×${growth <= GOALS.writeGrowth * 1.5 ? "" : " (GROWS)"}`,
  ];
}

// ---------------------------------------------------------------- review

/** One load of a page: when the first result arrived, when the last byte did, and how many. */
async function loadPage(url: string, cookie: string) {
  const start = performance.now();
  const response = await fetch(url, { headers: { cookie } });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let bytes = 0;
  let tail = "";
  let firstResultsMs = Number.NaN;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (Number.isNaN(firstResultsMs)) {
      // A result entry, or the empty message when nothing matches.
      tail = (tail + decoder.decode(value, { stream: true })).slice(-4096);
      if (/data-thread-id=|class="review-empty"/.test(tail)) firstResultsMs = performance.now() - start;
    }
  }
  return { firstResultsMs, ms: performance.now() - start, bytes };
}

async function benchReview(reading: Seeded, runs: number): Promise<string[][]> {
  const rows: string[][] = [];
  const app = await startAppServer();
  try {
    const base = `${app.url}/seminars/${reading.seminarId}/readings/${reading.documentId}/review`;
    const student = await db.membership.findFirstOrThrow({
      where: { seminarId: reading.seminarId, role: "STUDENT" },
      select: { userId: true },
    });
    const views: [string, string][] = [
      ["default", ""],
      ["kind=comment", "?kind=comment"],
      ["search", "?q=sentence+reading"],
      ["most reactions", "?sort=reactions"],
      ["participant", `?participant=${student.userId}`],
      ["last page", "?page=1000000"],
    ];
    const cold = await loadPage(base, reading.cookie);
    rows.push(row(reading.threads, "default, cold", cold));
    for (const [name, search] of views) {
      const samples = [];
      for (let run = 0; run < runs; run++) samples.push(await loadPage(`${base}${search}`, reading.cookie));
      rows.push(
        row(reading.threads, name, {
          firstResultsMs: median(samples.map((sample) => sample.firstResultsMs)),
          ms: median(samples.map((sample) => sample.ms)),
          bytes: samples[0]?.bytes ?? 0,
        }),
      );
    }
    process.stdout.write(`  review at ${reading.threads}: done\n`);
    return rows;
  } finally {
    await app.stop();
  }

  function row(threads: number, view: string, load: { firstResultsMs: number; ms: number; bytes: number }) {
    return [
      threads.toLocaleString("en-US"),
      view,
      fmtMs(load.firstResultsMs),
      fmtMs(load.ms),
      fmtBytes(load.bytes),
      against(load.firstResultsMs, GOALS.reviewFirstResultsMs),
    ];
  }
}

// ---------------------------------------------------------------- exports

/** A PDF's page objects in `bytes` (Chromium's pages are uncompressed dictionaries). */
const countPages = (bytes: string) => bytes.match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;

/** Reads a file to its end, as a download would: its bytes, when the first came, and a PDF's pages. */
async function readAll(file: ExportFile): Promise<{ bytes: number; firstByteAt: number; pages: number }> {
  if (typeof file.body === "string")
    return { bytes: Buffer.byteLength(file.body), firstByteAt: performance.now(), pages: 0 };
  if (file.body instanceof Uint8Array)
    return {
      bytes: file.body.byteLength,
      firstByteAt: performance.now(),
      pages: countPages(Buffer.from(file.body).toString("latin1")),
    };
  const isPdf = file.contentType === "application/pdf";
  const reader = file.body.getReader();
  let bytes = 0;
  let pages = 0;
  let carry = "";
  let firstByteAt: number | null = null;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    firstByteAt ??= performance.now();
    bytes += value.byteLength;
    if (isPdf) {
      // A page's dictionary may straddle two chunks: keep the tail of the last one.
      const text = carry + Buffer.from(value).toString("latin1");
      const cut = Math.max(0, text.length - 16);
      pages += countPages(text.slice(0, cut));
      carry = text.slice(cut);
    }
  }
  return { bytes, firstByteAt: firstByteAt ?? performance.now(), pages: pages + countPages(carry) };
}

/**
 * How often a PDF export reported progress, the longest wait between two
 * reports, and where the time went: loading the data, then each stage from
 * its first report to the next stage's.
 */
function describeReports(
  start: number,
  loadedAt: number,
  reports: { at: number; stage: string }[],
  end: number,
): string {
  const times = [start, ...reports.map((report) => report.at), end];
  const longest = Math.max(...times.slice(1).map((at, i) => at - (times[i] as number)));
  const stages: string[] = [`load ${fmtMs(loadedAt - start)}`];
  let from = loadedAt;
  let stage = "html";
  for (const report of reports) {
    if (report.stage === stage) continue;
    stages.push(`${stage} ${fmtMs(report.at - from)}`);
    stage = report.stage;
    from = report.at;
  }
  stages.push(`${stage} ${fmtMs(end - from)}`);
  return `${reports.length} reports, longest wait ${fmtMs(longest)} ms; ms by stage: ${stages.join(", ")}`;
}

async function benchScaleExports(reading: Seeded, runs: number): Promise<string[][]> {
  const rows: string[][] = [];
  const origin = "http://localhost:3000";
  for (const format of ["md", "csv", "jsonld", "html", "pdf"] as const) {
    const formatRuns =
      format === "pdf" && reading.threads >= 10_000 ? 1 : format === "pdf" ? Math.min(runs, 2) : runs;
    const samples: {
      ms: number;
      firstByteMs: number;
      bytes: number;
      pages: number;
      rss: string;
      progress: string;
    }[] = [];
    try {
      for (let run = 0; run < formatRuns; run++) {
        const start = performance.now();
        const reports: { at: number; stage: string }[] = [];
        let loadedAt = start;
        const { result, memory } = await withMemoryPeaks(async () => {
          const prepared = await prepareExport(
            reading.actor,
            reading.seminarId,
            reading.documentId,
            format,
            {},
          );
          loadedAt = performance.now();
          const file = await renderExport(prepared, origin, (progress) =>
            reports.push({ at: performance.now(), stage: progress.stage }),
          );
          return readAll(file);
        });
        const end = performance.now();
        samples.push({
          ms: end - start,
          firstByteMs: result.firstByteAt - start,
          bytes: result.bytes,
          pages: result.pages,
          rss:
            `+${fmtBytes(memory.peakRss - memory.baseRss)} (peak ${fmtBytes(memory.peakRss)})` +
            (format === "pdf" ? `; Chromium ${fmtBytes(memory.peakChildrenRss)}` : ""),
          progress: format === "pdf" ? describeReports(start, loadedAt, reports, end) : "",
        });
      }
    } catch (error) {
      console.error(
        `[bench:exports] ${format} at ${reading.threads} skipped: ${(error as Error).message.split("\n")[0]}`,
      );
      continue;
    }
    const ms = median(samples.map((sample) => sample.ms));
    rows.push([
      reading.threads.toLocaleString("en-US"),
      format,
      fmtMs(ms),
      fmtMs(median(samples.map((sample) => sample.firstByteMs))),
      fmtBytes(samples[0]?.bytes ?? 0),
      format === "pdf" ? String(samples[0]?.pages ?? 0) : "",
      against(ms, format === "pdf" ? GOALS.pdfMs : GOALS.textExportMs),
      samples[0]?.rss ?? "",
      samples[0]?.progress ?? "",
    ]);
    process.stdout.write(`  exported ${format} at ${reading.threads}: ${fmtMs(ms)} ms\n`);
  }
  return rows;
}

// ---------------------------------------------------------------- sync

async function benchSync(
  reading: Seeded,
  options: Options,
  shape: string,
  config: Record<string, unknown> = {},
): Promise<string[][]> {
  const server = await options.startCollab(config);
  try {
    const room = roomName({ kind: "seminar", seminarId: reading.seminarId, documentId: reading.documentId });
    // The first connection loads the room into the server; the ones measured find it loaded, as a class's would.
    const [first] = await connectLeanClients(() => new LeanClient(server, room, reading.cookie), 1);
    const bytes = first?.bytes ?? 0;
    const times: number[] = [];
    const wire: number[] = [];
    for (let run = 0; run < Math.max(3, options.runs); run++) {
      const start = performance.now();
      const client = await connectRealClient(server, room, reading.cookie);
      times.push(performance.now() - start);
      wire.push(client.wireBytes);
      client.destroy();
    }
    first?.close();
    const ms = median(times);
    const together =
      shape === "lean text (after)" ? await benchClassJoining(reading, options, server, room) : "";
    return [
      [
        reading.threads.toLocaleString("en-US"),
        shape,
        fmtMs(ms),
        against(ms, GOALS.syncMs),
        fmtBytes(bytes),
        fmtBytes(median(wire)),
        against(median(wire), GOALS.syncBytes),
        shape === "lean text (after)" ? await describeThreadBody(reading, options.runs) : "",
        together,
      ],
    ];
  } finally {
    await server.stop();
  }
}

/** Readers opening the reading together, as a class does at the start of a session. */
const CLASS_SIZE = 30;

/**
 * A class joining at once: {@link CLASS_SIZE} raw clients offering compression ask for the
 * room together; the time until the last has its step 2 (its socket inflating what comes, no
 * Y.Doc: the server's side of it), median of `runs`, on `server` (a compressed first sync
 * deflated once and reused) and on a second server that deflates it for each socket (the
 * baseline, `reusesCompressedSyncs: false`), in the same run. Each server's room is loaded
 * and its reply cut by one client first, as the single reader's rows above.
 */
async function benchClassJoining(
  reading: Seeded,
  options: Options,
  server: Endpoint,
  room: string,
): Promise<string> {
  const join = async (endpoint: Endpoint) => {
    const times: number[] = [];
    for (let run = 0; run < Math.max(3, options.runs); run++) {
      const start = performance.now();
      const clients = await connectLeanClients(
        () => new LeanClient(endpoint, room, reading.cookie, { compressed: true }),
        CLASS_SIZE,
        CLASS_SIZE,
      );
      times.push(performance.now() - start);
      for (const client of clients) client.close();
    }
    return median(times);
  };
  const reusing = await join(server);
  const baseline = await options.startCollab({ reusesCompressedSyncs: false });
  try {
    const [warm] = await connectLeanClients(() => new LeanClient(baseline, room, reading.cookie), 1);
    warm?.close();
    const deflating = await join(baseline);
    return `${fmtMs(reusing)} ms (deflated per socket: ${fmtMs(deflating)} ms, ${(reusing / deflating).toFixed(2)}×)`;
  } finally {
    await baseline.stop();
  }
}

/**
 * What opening a card costs with lean threads: `getThread` (what the route calls) for the
 * seeded thread with the most replies, in the bench process against the same database;
 * the median of runs and the JSON's bytes. No HTTP or session lookup (the app is not started here).
 */
async function describeThreadBody(reading: Seeded, runs: number): Promise<string> {
  const { getThread } = await import("../lib/server/annotations/get-thread");
  const id = seededThreadId(3);
  const times: number[] = [];
  let bytes = 0;
  for (let run = 0; run < Math.max(3, runs); run++) {
    const start = performance.now();
    const body = await getThread(reading.actor, id);
    times.push(performance.now() - start);
    bytes = Buffer.byteLength(JSON.stringify(body));
  }
  return `${fmtMs(median(times))} ms, ${fmtBytes(bytes)}`;
}

// ---------------------------------------------------------------- printing

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((cells) => (cells[i] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i < 2 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number)))
      .join("  ");
  return [line(header), widths.map((width) => "-".repeat(width)).join("  "), ...rows.map(line)].join("\n");
}
