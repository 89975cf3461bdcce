/**
 * The bench's clients: lean idle clients (raw y-protocols on `ws`), and the
 * sender and probe (real y-websocket providers), plus the scheduled sender
 * that measures A→B latency without coordinated omission.
 */
import WebSocket from "ws";
import * as awarenessProtocol from "y-protocols/awareness";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { websocketClass, waitFor } from "../tests/helpers/collab";

/** Where a server listens. */
export type Endpoint = { url: string; origin: string };

/** A sync step 1 with an empty state vector: "send me everything". */
const SYNC_STEP_1_EMPTY = new Uint8Array([0, 0, 1, 0]);

/**
 * An idle client as lean as the protocol allows: it asks for the state once
 * (sync step 1), then only counts what arrives. It keeps no Y.Doc, so 500 of
 * them fit in the bench process without it becoming the bottleneck.
 */
export class LeanClient {
  readonly ws: WebSocket;
  bytes = 0;
  isSynced = false;
  closeCode: number | null = null;

  /** `compressed`: offers permessage-deflate, as browsers do (and inflates what comes so). */
  constructor(endpoint: Endpoint, room: string, cookie: string, options: { compressed?: boolean } = {}) {
    this.ws = new WebSocket(`${endpoint.url}/${room}`, {
      headers: { cookie, origin: endpoint.origin },
      perMessageDeflate: options.compressed ?? false,
    });
    this.ws.on("open", () => this.ws.send(SYNC_STEP_1_EMPTY));
    this.ws.on("message", (data: Buffer) => {
      this.bytes += data.length;
      // The answer to our sync step 1 is a sync step 2.
      if (data[0] === 0 && data[1] === 1) this.isSynced = true;
    });
    this.ws.on("error", () => undefined);
    this.ws.on("close", (code) => (this.closeCode = code));
  }

  close() {
    this.ws.terminate();
  }
}

/** What the bench needs of an idle client, of either protocol (bench/hocuspocus.ts has the other). */
export type IdleClient = { readonly isSynced: boolean; readonly closeCode: number | null; close(): void };

/**
 * Connects `count` idle clients made by `create` (e.g. `() => new LeanClient(endpoint, room,
 * cookie)`), `batch` at a time; resolves once all are synced.
 */
export async function connectLeanClients<Client extends IdleClient>(
  create: () => Client,
  count: number,
  batch = 50,
): Promise<Client[]> {
  const clients: Client[] = [];
  for (let started = 0; started < count; started += batch) {
    const wave = Array.from({ length: Math.min(batch, count - started) }, create);
    clients.push(...wave);
    await waitFor(
      () => wave.every((client) => client.isSynced || client.closeCode !== null),
      "idle clients to sync",
      60_000,
    );
    const closed = wave.find((client) => client.closeCode !== null);
    if (closed) throw new Error(`An idle client was closed with ${closed.closeCode} while connecting.`);
  }
  return clients;
}

/**
 * The presence the sender and the probe show: a fixed state, as a reader's page has one. Its
 * renewal every 15 s (y-protocols), echoed by the server, is all a silent sender hears, and
 * y-websocket closes and reopens a socket that has heard nothing for 30 s: without presence
 * the sender was reconnected 30 s into every cumulative run, one stall of 165–215 ms in the
 * row that crossed it (the 500-client row, and the idle section's 5,000), in ours and the
 * relay alike. A browser never meets that: its presence is on.
 */
export const BENCH_PRESENCE = { bench: true } as const;

/**
 * A real y-websocket provider with a fixed presence ({@link BENCH_PRESENCE}).
 * `wireBytes`: what its socket had read off the wire when it synced (compressed, when the server
 * agreed to permessage-deflate, which `ws` offers as browsers do).
 */
export type RealClient = { doc: Y.Doc; provider: WebsocketProvider; wireBytes: number; destroy(): void };

/** Connects a y-websocket provider; resolves once synced. `doc` may come preloaded. */
export async function connectRealClient(
  endpoint: Endpoint,
  room: string,
  cookie: string,
  doc = new Y.Doc(),
): Promise<RealClient> {
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState(BENCH_PRESENCE);
  let socket: WebSocket | null = null;
  const created = (ws: WebSocket) => (socket = ws);
  const Base = websocketClass({ cookie, origin: endpoint.origin });
  const provider = new WebsocketProvider(endpoint.url, room, doc, {
    WebSocketPolyfill: class extends Base {
      constructor(address: string | URL, protocols?: string | string[]) {
        super(address, protocols);
        created(this);
      }
    } as unknown as typeof globalThis.WebSocket,
    awareness,
    disableBc: true,
  });
  await waitFor(() => provider.synced, `a y-websocket client of ${room} to sync`, 30_000);
  const wire = (socket as unknown as { _socket?: { bytesRead: number } } | null)?._socket?.bytesRead ?? 0;
  return {
    doc,
    provider,
    wireBytes: wire,
    destroy() {
      provider.destroy();
      awareness.destroy();
      doc.destroy();
    },
  };
}

/** Latencies of one measured run. */
export type LatencyRun = { latenciesMs: number[]; lost: number };

let nextSequence = 1;

/**
 * Sends `warmup + samples` one-key Y.Map changes from `sender`, one every
 * `intervalMs` on a fixed schedule, and records when `probe` sees each.
 * Latency = probe's receive time − scheduled send time: if the sender (or
 * the whole process) falls behind, the delay counts against the result
 * instead of silently thinning the samples (no coordinated omission).
 */
export async function measureLatency(
  sender: Y.Doc,
  probe: Y.Doc,
  options: {
    samples: number;
    warmup: number;
    intervalMs: number;
    keys?: number;
    /** Keeps sending past `samples` while this is true (at most 50 × `samples`): measuring for as long as a flood lasts. */
    extendWhile?: () => boolean;
  },
): Promise<LatencyRun> {
  const keys = options.keys ?? 32;
  const senderMap = sender.getMap<number>("bench");
  const probeMap = probe.getMap<number>("bench");
  const received = new Map<number, number>();
  const onChange = (event: Y.YMapEvent<number>) => {
    const now = performance.now();
    for (const key of event.keysChanged as Set<string>) {
      const value = probeMap.get(key);
      if (typeof value === "number" && !received.has(value)) received.set(value, now);
    }
  };
  probeMap.observe(onChange);
  const minimum = options.warmup + options.samples;
  const maximum = options.extendWhile ? options.warmup + 50 * options.samples : minimum;
  const first = nextSequence;
  nextSequence += maximum;
  const scheduled: number[] = [];
  const start = performance.now() + 50;
  for (let i = 0; i < minimum || (i < maximum && options.extendWhile?.()); i++) {
    const at = start + i * options.intervalMs;
    const wait = at - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    scheduled.push(at);
    senderMap.set(`k${i % keys}`, first + i);
  }
  const total = scheduled.length;
  await waitFor(() => received.size >= total, "the probe to see every change", 15_000).catch(() => undefined);
  probeMap.unobserve(onChange);
  const latenciesMs: number[] = [];
  let lost = 0;
  for (let i = options.warmup; i < total; i++) {
    const at = received.get(first + i);
    if (at === undefined) lost++;
    else latenciesMs.push(at - (scheduled[i] as number));
  }
  return { latenciesMs, lost };
}

/** The `p`th percentile (nearest rank) of `values`. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}
