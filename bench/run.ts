/**
 * `npm run bench`: A→B propagation latency through a `text:` room with 10,
 * 100 and 500 idle clients connected, and server memory per idle connection,
 * for our collab server next to a bare y-protocols relay (bench/relay.ts) and
 * Hocuspocus (bench/hocuspocus.ts), printed by bench/latency-report.ts;
 * the same probe during a connection flood (bench/flood.ts); the review page,
 * exports, seminar-room sync and API writes at 100, 1,000 and 10,000 threads (bench/scale.ts).
 * See bench/README.md for the method. Not part of `npm test`.
 *
 *   npm run bench -- --levels 10,100,500 --latency-samples 600 --samples 200 --interval 50
 *   npm run bench -- --only flood --flood-attempts 2000 --flood-concurrency 64
 *   npm run bench -- --only idle --idle-levels 1000,5000,10000
 *   npm run bench -- --only review,exports,sync,writes --sizes 100,1000,10000 --scale-runs 3
 *   npm run bench -- --only latency,processes --processes 1,2,3   (several processes; needs Redis)
 *
 * Uses DATABASE_URL's server when set, else an embedded PostgreSQL under
 * .data/bench; either way in a scratch database it drops at the end.
 */
import "dotenv/config";
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as Y from "yjs";
import { roomName } from "../lib/shared/rooms";
import { liftedAdmissionLimits } from "../server/collab/config";
import { sessionCookie } from "../tests/helpers/collab";
import { buildSeminar, buildUser } from "../tests/helpers/factories";
import { openScratchDatabase, type ScratchDatabase } from "../tests/helpers/scratch-database";
import {
  connectLeanClients,
  connectRealClient,
  LeanClient,
  measureLatency,
  percentile,
  type Endpoint,
  type IdleClient,
  type RealClient,
} from "./clients";
import { measureCommitFloor } from "./commit-floor";
import { connectHocuspocusClient, HocuspocusLeanClient } from "./hocuspocus";
import { benchFlood, formatFloodBench } from "./flood";
import {
  printFloor,
  printGoals,
  printTable,
  type CommitLatency,
  type Kind,
  type Memory,
  type Row,
} from "./latency-report";
import { benchPage, formatPageBench } from "./page";
import { benchIdle, formatIdleBench } from "./idle";
import { benchProcesses, formatProcessesBench } from "./processes";
import { benchScale, SCALE_SECTIONS } from "./scale";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** DATABASE_URL as given: the scratch database replaces it while it exists. */
const givenDatabaseUrl = process.env.DATABASE_URL;
const { values } = parseArgs({
  options: {
    levels: { type: "string", default: "10,100,500" },
    samples: { type: "string", default: "200" },
    "latency-samples": { type: "string", default: "600" },
    warmup: { type: "string", default: "20" },
    interval: { type: "string", default: "50" },
    only: { type: "string" },
    "flood-attempts": { type: "string", default: "2000" },
    "flood-concurrency": { type: "string", default: "64" },
    "flood-interval": { type: "string", default: "20" },
    "idle-levels": { type: "string", default: "1000,5000,10000" },
    processes: { type: "string" },
    "processes-idle": { type: "string", default: "100" },
    sizes: { type: "string", default: "100,1000,10000" },
    "scale-runs": { type: "string", default: "3" },
  },
});
const SECTIONS = new Set((values.only ?? "latency,idle,flood,review,exports,sync,writes,page").split(","));
if (values.processes) SECTIONS.add("processes");
const LEVELS = values.levels.split(",").map(Number);
const SAMPLES = Number(values.samples);
/**
 * Sends per latency row (and paced commits of the floor). With 200 the p99 was the second-worst
 * send, and ours-against-Hocuspocus came out met in one run and missed in the next; with 600 it
 * is the sixth-worst.
 */
const LATENCY_SAMPLES = Number(values["latency-samples"]);
const WARMUP = Number(values.warmup);
const INTERVAL_MS = Number(values.interval);

/** A server under test in its own process (bench/server-main.ts). */
type BenchServer = Endpoint & {
  port: number;
  memory(): Promise<Memory>;
  metrics(): Promise<unknown>;
  stop(): Promise<void>;
};

const running = new Set<ChildProcess>();

async function startServer(kind: Kind, config: Record<string, unknown> = {}): Promise<BenchServer> {
  const child = spawn(
    process.execPath,
    [
      "--expose-gc",
      // BENCH_CPU_PROF=<dir>: each server writes a V8 CPU profile there when it exits (bench/README.md).
      ...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      "--import",
      "tsx",
      path.join(ROOT, "bench/server-main.ts"),
      kind,
      JSON.stringify(config),
    ],
    { cwd: ROOT, env: process.env, stdio: ["pipe", "pipe", "inherit"] },
  );
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  void exited.then(() => running.delete(child));
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = "";
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      buffered += chunk;
      const match = /BENCH_READY (\d+)/.exec(buffered);
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", (code) =>
      reject(new Error(`the ${kind} server exited (${code}) before it was ready`)),
    );
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    port,
    url: `ws://127.0.0.1:${port}/collab`,
    origin: base,
    async memory() {
      const response = await fetch(`${base}/memory`);
      return (await response.json()) as Memory;
    },
    async metrics() {
      return (await (await fetch(`${base}/metrics`)).json()) as unknown;
    },
    async stop() {
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      child.kill("SIGTERM");
      await exited;
      clearTimeout(timer);
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs every level against one server; the relay's room is seeded with `seed` (the text room's state) first. */
async function benchServer(
  kind: Kind,
  room: string,
  cookies: { writer: string; reader: string },
  seed: Uint8Array | null,
): Promise<{ rows: Row[]; roomState: Uint8Array; commits: CommitLatency | null }> {
  // The 500 idle clients share one account and one address, so the admission limits are lifted
  // here; the flood section runs with the defaults, which are what it measures.
  const server = await startServer(kind, liftedAdmissionLimits);
  const idle: IdleClient[] = [];
  const real: Pick<RealClient, "doc" | "destroy">[] = [];
  // Hocuspocus speaks a protocol of its own (bench/hocuspocus.ts); it has no auth, so no cookies.
  const isHocuspocus = kind === "hocuspocus";
  const connectReal = (cookie: string, doc?: Y.Doc) =>
    isHocuspocus ? connectHocuspocusClient(server, room, doc) : connectRealClient(server, room, cookie, doc);
  const connectIdle = (count: number) =>
    isHocuspocus
      ? connectLeanClients(() => new HocuspocusLeanClient(server, room), count)
      : connectLeanClients(() => new LeanClient(server, room, cookies.reader), count);
  try {
    const senderDoc = new Y.Doc();
    if (seed) Y.applyUpdate(senderDoc, seed);
    const sender = await connectReal(cookies.writer, senderDoc);
    real.push(sender);
    const probe = await connectReal(cookies.reader);
    real.push(probe);
    const roomState = Y.encodeStateAsUpdate(sender.doc);
    // Warm-up: one-time growth (pools, JIT, buffers) should not count as per-connection memory.
    const warmup = await connectIdle(50);
    await measureLatency(sender.doc, probe.doc, { samples: 0, warmup: WARMUP, intervalMs: INTERVAL_MS });
    for (const client of warmup) client.close();
    await sleep(1000);
    const base = await server.memory();
    const rows: Row[] = [];
    for (const clients of LEVELS) {
      idle.push(...(await connectIdle(clients - idle.length)));
      await sleep(500);
      const memory = await server.memory();
      const run = await measureLatency(sender.doc, probe.doc, {
        samples: LATENCY_SAMPLES,
        warmup: WARMUP,
        intervalMs: INTERVAL_MS,
      });
      const perConnection = (key: "rss" | "heapUsed" | "external" | "arrayBuffers") =>
        (memory[key] - base[key]) / clients;
      rows.push({
        kind,
        clients,
        p50: percentile(run.latenciesMs, 50),
        p99: percentile(run.latenciesMs, 99),
        max: Math.max(...run.latenciesMs),
        lost: run.lost,
        memory: {
          rss: perConnection("rss"),
          heapUsed: perConnection("heapUsed"),
          external: perConnection("external"),
          arrayBuffers: perConnection("arrayBuffers"),
          isAfterGc: memory.isAfterGc,
        },
      });
      const closed = idle.filter((client) => client.closeCode !== null).length;
      if (closed > 0)
        console.warn(`  ${kind}: ${closed} idle clients were closed during the run at ${clients}`);
      process.stdout.write(`  ${kind.padEnd(10)} ${String(clients).padStart(4)} clients: done\n`);
    }
    const metrics = (await server.metrics()) as { commitLatencyMs?: CommitLatency } | null;
    return { rows, roomState, commits: metrics?.commitLatencyMs ?? null };
  } finally {
    for (const client of idle) client.close();
    for (const client of real) client.destroy();
    await server.stop();
  }
}

let database: ScratchDatabase | null = null;

async function cleanUp() {
  for (const child of running) child.kill("SIGKILL");
  await database?.close().catch(() => undefined);
  database = null;
}

async function main() {
  database = await openScratchDatabase("bench");
  const reader = await buildUser({ name: "Bench reader" });
  const flooder = await buildUser({ name: "Bench flooder" });
  const seminar = await buildSeminar({ students: [reader, flooder], ownText: true });
  const room = roomName({ kind: "text", documentId: seminar.documentId as string });
  const cookies = {
    writer: (await sessionCookie(seminar.instructor)).cookie,
    reader: (await sessionCookie(reader)).cookie,
  };
  console.log(`Marginalia bench — ${new Date().toISOString()}`);
  console.log(
    `  machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, Node ${process.version}; database: ${database.where}`,
  );
  console.log(
    `  room: ${room} (the essay as a text the instructor owns, seeded from its ProseMirror JSON); each server runs alone in its own process`,
  );
  console.log(
    `  sender A (the seminar's instructor) and probe B (a student): y-websocket WebsocketProvider ` +
      `(HocuspocusProvider against Hocuspocus), a fixed presence (BENCH_PRESENCE)`,
  );
  console.log(
    `  N idle clients (students): raw y-protocols clients on ws: sync step 1, then they only count bytes`,
  );
  console.log(
    `  per row: ${WARMUP} warm-up + ${LATENCY_SAMPLES} measured sends, one every ${INTERVAL_MS} ms on a fixed schedule`,
  );

  if (SECTIONS.has("latency")) {
    const ours = await benchServer("marginalia", room, cookies, null);
    // Measured alone, between the two servers, against the same database.
    const floor = await measureCommitFloor(database.url, {
      intervalMs: INTERVAL_MS,
      pacedSamples: LATENCY_SAMPLES,
    });
    // The relay's room starts with the same content: the sender brings the text room's state along.
    const relay = await benchServer("relay", room, cookies, ours.roomState);
    // Hocuspocus, the other baseline, in the same run and with the same room content.
    const hocuspocus = await benchServer("hocuspocus", room, cookies, ours.roomState).catch(
      (error: unknown) => {
        console.error(`[bench] Hocuspocus did not run: ${(error as Error).message}`);
        return { rows: [] };
      },
    );
    const rows = [...ours.rows, ...relay.rows, ...hocuspocus.rows];
    printTable(rows, LEVELS);
    printFloor(ours.commits, floor);
    printGoals(rows, LEVELS, ours.commits, floor);
  }

  if (SECTIONS.has("idle")) {
    const idleLevels = values["idle-levels"].split(",").map(Number);
    console.log("");
    console.log(
      `Idle connections: ${idleLevels.join(", ")} websockets synced to the seminar room and then silent, held by a ` +
        `process of their own, while the A→B probe runs in the text room (admission limits lifted; heartbeat every 5 s)`,
    );
    const rows = await benchIdle({
      startServer: () => startServer("marginalia", { ...liftedAdmissionLimits, heartbeatMs: 5000 }),
      probeRoom: room,
      idleRoom: roomName({
        kind: "seminar",
        seminarId: seminar.id,
        documentId: seminar.documentId as string,
      }),
      cookies,
      levels: idleLevels,
      samples: SAMPLES,
      warmup: WARMUP,
      intervalMs: INTERVAL_MS,
    });
    console.log(formatIdleBench(rows));
  }

  if (SECTIONS.has("processes")) {
    const counts = (values.processes ?? "1,2,3").split(",").map(Number);
    const options = {
      counts,
      startServer: (config: Record<string, unknown>) => startServer("marginalia", config),
      redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      textRoom: room,
      seminarRoom: roomName({
        kind: "seminar",
        seminarId: seminar.id,
        documentId: seminar.documentId as string,
      }),
      cookies: { ...cookies, presenceWriter: (await sessionCookie(flooder)).cookie },
      idle: Number(values["processes-idle"]),
      samples: SAMPLES,
      warmup: WARMUP,
      intervalMs: INTERVAL_MS,
      presenceIntervalMs: 100,
      config: liftedAdmissionLimits,
    };
    console.log("");
    console.log(
      `Several processes on one Postgres and one Redis (${options.idle} idle readers spread over them): ` +
        `A→B latency with A on the first process and B on the last, ms; presence sent every ` +
        `${options.presenceIntervalMs} ms (coalesced every 100 ms by A's process)`,
    );
    console.log(formatProcessesBench(await benchProcesses(options)));
  }

  if (SCALE_SECTIONS.some((section) => SECTIONS.has(section))) {
    const sizes = values.sizes.split(",").map(Number);
    console.log("");
    console.log(
      `A course-sized discussion at ${sizes.map((size) => size.toLocaleString("en-US")).join(", ")} threads ` +
        `(tests/helpers/large-discussion.ts: about as many comments as threads; load average ${os
          .loadavg()
          .map((load) => load.toFixed(2))
          .join(" ")})`,
    );
    await benchScale({
      sizes,
      sections: SECTIONS,
      runs: Number(values["scale-runs"]),
      startCollab: (config = {}) => startServer("marginalia", { ...liftedAdmissionLimits, ...config }),
    });
    console.log(
      `  (load average after: ${os
        .loadavg()
        .map((load) => load.toFixed(2))
        .join(" ")})`,
    );
  }

  if (SECTIONS.has("flood")) {
    const floodOptions = {
      startServer: () => startServer("marginalia"),
      probeRoom: room,
      floodRoom: roomName({
        kind: "seminar",
        seminarId: seminar.id,
        documentId: seminar.documentId as string,
      }),
      cookies: { ...cookies, flooder: (await sessionCookie(flooder)).cookie },
      attempts: Number(values["flood-attempts"]),
      concurrency: Number(values["flood-concurrency"]),
      samples: SAMPLES,
      warmup: WARMUP,
      intervalMs: Number(values["flood-interval"]),
    };
    console.log("");
    console.log(
      `Connection flood: one student makes ${floodOptions.attempts} upgrade attempts into the seminar room, ` +
        `${floodOptions.concurrency} in flight, from its own process; the A→B probe runs in the text room ` +
        `(server with its default admission limits)`,
    );
    console.log(formatFloodBench(await benchFlood(floodOptions), floodOptions));
  }
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void cleanUp().then(() => process.exit(130)));
}

main()
  .then(async () => {
    await cleanUp();
    if (givenDatabaseUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = givenDatabaseUrl;
    // Last part: the reading page in Chromium (the exports are measured by bench/scale.ts above).
    if (SECTIONS.has("page")) {
      const timeoutMs = 180_000;
      console.log(
        "\nThe reading page in Chromium for the demo seminar and at 100, 1,000 and 10,000 annotations (bench/page.ts)",
      );
      console.log(
        formatPageBench(await benchPage({ sizes: ["demo", 100, 1000, 10_000], timeoutMs }), timeoutMs),
      );
    }
    process.exit(0);
  })
  .catch(async (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await cleanUp();
    process.exit(1);
  });
