/**
 * The idle-connections section of `npm run bench` (`--only idle`): 1,000,
 * 5,000 and 10,000 idle websockets on one collab server process (they sync
 * the seminar room once, then only listen), held by a client process of their
 * own (bench/idle-clients.ts), while the A→B probe measures the text room as
 * in the latency section. Per level: the server's memory after a full GC
 * (per idle connection) and the probe's p50/p99. Goals: p99 ≤ 50 ms at 5,000
 * and ≤ 100 ms at 10,000.
 *
 * The server runs with the admission limits lifted (every idle client is one
 * account at one address) and a heartbeat of 5 s instead of 30 s, so that
 * every measured run (samples × interval, 10 s by default) spans at least one
 * full turn of the heartbeat wheel: what each idle connection costs over time
 * is measured, not only what it costs to hold.
 */
import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as Y from "yjs";
import { connectRealClient, measureLatency, percentile, type Endpoint, type RealClient } from "./clients";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Memory as bench/server-main.ts reports it. */
type Memory = { rss: number; heapUsed: number; external: number };

/** A server under test, as bench/run.ts starts it. */
export type IdleServer = Endpoint & { memory(): Promise<Memory>; stop(): Promise<void> };

/** Options of {@link benchIdle}. */
export type IdleOptions = {
  startServer(): Promise<IdleServer>;
  probeRoom: string;
  idleRoom: string;
  cookies: { writer: string; reader: string };
  levels: number[];
  samples: number;
  warmup: number;
  intervalMs: number;
};

/** One level's figures. */
export type IdleRow = {
  clients: number;
  closed: number;
  p50: number;
  p99: number;
  max: number;
  lost: number;
  /** Per idle connection, bytes: (usage at this level − usage before any) ÷ clients. */
  heapPerConnection: number;
  rssPerConnection: number;
  /** The server's whole heap and RSS at this level, bytes. */
  heap: number;
  rss: number;
  load: number;
};

/** The p99 goal at a level, ms, where the issue sets one. */
const P99_GOALS: Record<number, number> = { 5000: 50, 10000: 100 };

async function spawnIdleClients(orders: Record<string, unknown>) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(ROOT, "bench/idle-clients.ts"), JSON.stringify(orders)],
    { cwd: ROOT, env: process.env, stdio: ["pipe", "pipe", "inherit"] },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let output = "";
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => (output += chunk));
  const next = (prefix: string) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const index = output.indexOf(prefix);
        if (index < 0) return;
        const end = output.indexOf("\n", index);
        if (end < 0) return;
        const line = output.slice(index + prefix.length, end);
        output = output.slice(end + 1);
        child.stdout?.off("data", check);
        resolve(line);
      };
      child.stdout?.on("data", check);
      child.once("exit", (code) =>
        reject(new Error(`the idle clients exited (${code}) before ${prefix.trim()}`)),
      );
      check();
    });
  await next("IDLE_STARTED");
  return {
    /** Opens clients until `total` are connected; resolves with how many were closed by the server. */
    async grow(total: number): Promise<number> {
      child.stdin?.write(`${total}\n`);
      const [, closed] = (await next("IDLE_READY ")).split(" ").map(Number);
      return closed ?? 0;
    },
    async stop() {
      child.stdin?.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs the idle-connections section. */
export async function benchIdle(options: IdleOptions): Promise<IdleRow[]> {
  const server = await options.startServer();
  const real: RealClient[] = [];
  let idle: Awaited<ReturnType<typeof spawnIdleClients>> | null = null;
  try {
    const sender = await connectRealClient(server, options.probeRoom, options.cookies.writer, new Y.Doc());
    real.push(sender);
    const probe = await connectRealClient(server, options.probeRoom, options.cookies.reader);
    real.push(probe);
    const schedule = { samples: options.samples, warmup: options.warmup, intervalMs: options.intervalMs };
    await measureLatency(sender.doc, probe.doc, { ...schedule, samples: 0 });
    // The idle room is loaded once, by one client, before hundreds arrive at once: on a loaded
    // machine the seminar room's first load could take long enough that a wave waiting on it
    // was closed with 1011, and the section measured nothing.
    real.push(await connectRealClient(server, options.idleRoom, options.cookies.reader));
    idle = await spawnIdleClients({
      url: server.url,
      origin: server.origin,
      room: options.idleRoom,
      cookie: options.cookies.reader,
    });
    const base = await server.memory();
    const rows: IdleRow[] = [];
    for (const clients of options.levels) {
      const closed = await idle.grow(clients);
      const memory = await server.memory();
      const run = await measureLatency(sender.doc, probe.doc, schedule);
      rows.push({
        clients,
        closed,
        p50: percentile(run.latenciesMs, 50),
        p99: percentile(run.latenciesMs, 99),
        max: Math.max(...run.latenciesMs),
        lost: run.lost,
        heapPerConnection: (memory.heapUsed - base.heapUsed) / clients,
        rssPerConnection: (memory.rss - base.rss) / clients,
        heap: memory.heapUsed,
        rss: memory.rss,
        load: os.loadavg()[0] ?? 0,
      });
      process.stdout.write(`  idle ${String(clients).padStart(6)} connections: done\n`);
    }
    return rows;
  } finally {
    await idle?.stop();
    for (const client of real) client.destroy();
    await server.stop();
  }
}

/** The section's table, with the goals. */
export function formatIdleBench(rows: IdleRow[]): string {
  const cell = (text: string, width = 9) => text.padStart(width);
  const ms = (value: number) => cell(Number.isFinite(value) ? value.toFixed(1) : "—");
  const mb = (bytes: number) => cell((bytes / 2 ** 20).toFixed(0));
  const kb = (bytes: number) => cell((bytes / 1024).toFixed(1));
  const rule = "─".repeat(104);
  const lines = [
    rule,
    `${"idle".padStart(7)}${cell("p50")}${cell("p99")}${cell("max")}${cell("lost", 6)}${cell("closed", 8)}` +
      `${cell("heap MB")}${cell("RSS MB")}${cell("heap/conn", 11)}${cell("RSS/conn", 10)}${cell("load", 7)}  goal`,
    rule,
  ];
  for (const row of rows) {
    const goal = P99_GOALS[row.clients];
    const verdict =
      goal === undefined
        ? ""
        : `p99 ≤ ${goal} ms: ${(row.p99 / goal).toFixed(2)}× (${row.p99 <= goal ? "met" : "MISSED"})`;
    lines.push(
      `${String(row.clients).padStart(7)}${ms(row.p50)}${ms(row.p99)}${ms(row.max)}${cell(String(row.lost), 6)}` +
        `${cell(String(row.closed), 8)}${mb(row.heap)}${mb(row.rss)}${cell(kb(row.heapPerConnection).trim() + " KB", 11)}` +
        `${cell(kb(row.rssPerConnection).trim() + " KB", 10)}${cell(row.load.toFixed(1), 7)}  ${verdict}`,
    );
  }
  lines.push(rule);
  return lines.join("\n");
}
