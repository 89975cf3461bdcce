/**
 * `npm run bench -- --processes 1,2,3`: the collab server as several processes on one
 * Postgres and one Redis (docs/adr/0020-several-processes.md). For each count P, P servers
 * start (each in its own process, REDIS_URL set); writer A connects to the first and probe B
 * to the last (a different process whenever P > 1), and `idle` lean readers spread over all P.
 *
 * - document latency: a one-key Y.Map change from A until B sees it, in the text room
 *   (committed in Postgres by A's process, NOTIFY, read back and sent by B's process);
 * - presence latency: an awareness field set by A until B's awareness shows it (or a later
 *   value: coalescing sends only the latest), in the seminar room (A's process coalesces for
 *   up to awarenessFlushMs, Redis, B's process).
 *
 * Both measure from the scheduled send time (no coordinated omission), as bench/clients.ts.
 */
import * as awarenessProtocol from "y-protocols/awareness";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { websocketClass } from "../tests/helpers/collab";
import {
  connectLeanClients,
  connectRealClient,
  measureLatency,
  percentile,
  type Endpoint,
  LeanClient,
} from "./clients";

/** One row of the table. */
export type ProcessesRow = {
  processes: number;
  idle: number;
  document: { p50: number; p99: number; max: number; lost: number };
  presence: { p50: number; p99: number; max: number; lost: number };
};

/** What the section needs from bench/run.ts. */
export type ProcessesBenchOptions = {
  counts: number[];
  startServer(config: Record<string, unknown>): Promise<Endpoint & { stop(): Promise<void> }>;
  redisUrl: string;
  textRoom: string;
  seminarRoom: string;
  cookies: { writer: string; reader: string; presenceWriter: string };
  idle: number;
  samples: number;
  warmup: number;
  intervalMs: number;
  presenceIntervalMs: number;
  config: Record<string, unknown>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A→B latency of awareness: A sets `seq`, B's awareness shows it. */
async function measurePresence(
  endpoints: { a: Endpoint; b: Endpoint },
  room: string,
  cookies: { a: string; b: string },
  options: { samples: number; warmup: number; intervalMs: number },
) {
  const open = (endpoint: Endpoint, cookie: string) => {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(endpoint.url, room, doc, {
      WebSocketPolyfill: websocketClass({ cookie, origin: endpoint.origin }) as unknown as typeof WebSocket,
      disableBc: true,
    });
    return { doc, provider };
  };
  const a = open(endpoints.a, cookies.a);
  const b = open(endpoints.b, cookies.b);
  try {
    const deadline = Date.now() + 30_000;
    while (!(a.provider.synced && b.provider.synced)) {
      if (Date.now() > deadline) throw new Error("presence clients did not sync");
      await sleep(20);
    }
    // Coalescing sends only the latest state of each flush, so seeing `seq` means every
    // earlier one has arrived too (superseded): each counts from its own scheduled time.
    const received = new Map<number, number>();
    let highest = -1;
    const onChange = () => {
      const now = performance.now();
      const seq = (b.provider.awareness.getStates().get(a.doc.clientID) as { seq?: number } | undefined)?.seq;
      if (typeof seq !== "number" || seq <= highest) return;
      for (let earlier = highest + 1; earlier <= seq; earlier++) received.set(earlier, now);
      highest = seq;
    };
    b.provider.awareness.on("change", onChange);
    const total = options.warmup + options.samples;
    const scheduled: number[] = [];
    const start = performance.now() + 200;
    for (let i = 0; i < total; i++) {
      const at = start + i * options.intervalMs;
      const wait = at - performance.now();
      if (wait > 0) await sleep(wait);
      scheduled.push(at);
      a.provider.awareness.setLocalStateField("seq", i);
    }
    const until = Date.now() + 5000;
    while (received.size < total && Date.now() < until) await sleep(20);
    b.provider.awareness.off("change", onChange);
    const latencies: number[] = [];
    let lost = 0;
    for (let i = options.warmup; i < total; i++) {
      const at = received.get(i);
      if (at === undefined) lost++;
      else latencies.push(at - (scheduled[i] as number));
    }
    return summarize(latencies, lost);
  } finally {
    for (const client of [a, b]) {
      awarenessProtocol.removeAwarenessStates(client.provider.awareness, [client.doc.clientID], "bench");
      client.provider.destroy();
      client.doc.destroy();
    }
  }
}

function summarize(latencies: number[], lost: number) {
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.length ? Math.max(...latencies) : Number.NaN,
    lost,
  };
}

/** Runs every count; servers of one count are stopped before the next starts. */
export async function benchProcesses(options: ProcessesBenchOptions): Promise<ProcessesRow[]> {
  const rows: ProcessesRow[] = [];
  for (const count of options.counts) {
    const servers = await Promise.all(
      Array.from({ length: count }, () =>
        options.startServer({ ...options.config, redisUrl: count > 1 ? options.redisUrl : null }),
      ),
    );
    const idle: LeanClient[] = [];
    try {
      const first = servers[0] as Endpoint;
      const last = servers[count - 1] as Endpoint;
      const writer = await connectRealClient(first, options.textRoom, options.cookies.writer);
      const probe = await connectRealClient(last, options.textRoom, options.cookies.reader);
      for (let index = 0; index < options.idle; index++) {
        const server = servers[index % count] as Endpoint;
        idle.push(
          ...(await connectLeanClients(
            () => new LeanClient(server, options.textRoom, options.cookies.reader),
            1,
          )),
        );
      }
      await sleep(500);
      const run = await measureLatency(writer.doc, probe.doc, {
        samples: options.samples,
        warmup: options.warmup,
        intervalMs: options.intervalMs,
      });
      writer.destroy();
      probe.destroy();
      const presence = await measurePresence(
        { a: first, b: last },
        options.seminarRoom,
        { a: options.cookies.presenceWriter, b: options.cookies.reader },
        { samples: options.samples, warmup: options.warmup, intervalMs: options.presenceIntervalMs },
      );
      rows.push({
        processes: count,
        idle: options.idle,
        document: summarize(run.latenciesMs, run.lost),
        presence,
      });
      process.stdout.write(`  ${count} process(es): done\n`);
    } finally {
      for (const client of idle) client.close();
      await Promise.all(servers.map((server) => server.stop()));
    }
  }
  return rows;
}

/** The table. */
export function formatProcessesBench(rows: ProcessesRow[]): string {
  const cell = (text: string, width = 8) => text.padStart(width);
  const ms = (value: number) => cell(Number.isFinite(value) ? value.toFixed(1) : "—");
  const rule = "─".repeat(83);
  const base = rows[0];
  const ratio = (value: number, of: number | undefined) =>
    cell(of && Number.isFinite(value / of) ? `${(value / of).toFixed(1)}×` : "—");
  const lines = [
    rule,
    [
      "procs",
      " document A→B (A on the first, B on the last)".padEnd(32),
      " presence A→B".padEnd(32),
      ` p99 ÷ ${base?.processes ?? 1} proc`.padEnd(16),
    ].join(" │"),
    [
      "     ",
      ["p50", "p99", "max", "lost"].map((h) => cell(h)).join(""),
      ["p50", "p99", "max", "lost"].map((h) => cell(h)).join(""),
      ["doc", "pres"].map((h) => cell(h)).join(""),
    ].join(" │"),
    rule,
  ];
  for (const row of rows) {
    lines.push(
      [
        cell(String(row.processes), 5),
        ms(row.document.p50) + ms(row.document.p99) + ms(row.document.max) + cell(String(row.document.lost)),
        ms(row.presence.p50) + ms(row.presence.p99) + ms(row.presence.max) + cell(String(row.presence.lost)),
        ratio(row.document.p99, base?.document.p99) + ratio(row.presence.p99, base?.presence.p99),
      ].join(" │"),
    );
  }
  lines.push(rule);
  return lines.join("\n");
}
