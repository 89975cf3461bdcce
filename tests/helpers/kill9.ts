/**
 * The `kill -9` durability rig (docs/architecture.md §4: "acknowledged means committed: a
 * kill -9 of the server at any moment loses nothing … that any other client
 * has seen"), shared by tests/collab/kill9-durability.test.ts (20 cycles in
 * `npm test`) and tests/collab/soak.ts (200 cycles, `npm run soak`).
 *
 * Writers are real y-websocket providers. Each owns one key of a Y.Map
 * (`w<i>`) and sets it to an increasing sequence number, continuously,
 * connected or not, as a person keeps typing while the connection is down
 * (the edits sync when it is back). Each records what it has observed of the
 * OTHER writers: the highest sequence number and the highest
 * Yjs clock per writer. One cycle:
 *
 *   1. all writers synced, streaming for a random while;
 *   2. SIGKILL the server process;
 *   3. writers stop reconnecting (so they cannot hand back what the server
 *      lost), and what every writer has seen of the others is snapshotted;
 *   4. the server restarts on the same port and database;
 *   5. a fresh client syncs and must hold, for every writer, at least the
 *      sequence number and the clock any other writer had seen;
 *   6. the writers reconnect (resending what was never committed) and sync.
 *
 * A writer only ever sees another's update through the server, and the
 * server broadcasts only after committing, so step 5 holds unless an update
 * was broadcast before it was durable.
 */
import type { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { applyStoredRoom, readRoom } from "../../lib/server/realtime/update-log";
import type { CollabConfig } from "../../server/collab/config";
import { connectClient, waitFor, type TestClient } from "./collab";
import { spawnStandbyCollab, type CollabProcess, type StandbyCollabProcess } from "./collab-process";
import { seededRandom, type Random } from "./random";

/** Options of {@link KillNineRig.start}. */
export type KillNineOptions = {
  /** A room the cookie's user may write (a `text:` room for an instructor). */
  room: string;
  /** Session cookie of that user. */
  cookie: string;
  /** Seed of the run (kill timing, which writer writes when). */
  seed: number;
  /** Number of writers (10). */
  writers?: number;
  /** One write tick every this many ms; each writer writes in ~80 % of ticks (40). */
  writeIntervalMs?: number;
  /** Streaming time before the kill, drawn uniformly from this range in ms ([100, 600]). */
  runMs?: [number, number];
  /** Passed to the child's CollabServer. */
  config?: Partial<CollabConfig>;
  /**
   * Keep writing while disconnected and reconnecting, as a person typing would (true). False
   * writes only while synced, which isolates durability from the reconnect path
   * (offline-edits.test.ts is that path's own test).
   */
  writesWhileDisconnected?: boolean;
};

/** What a writer has lost: another writer saw more than the restarted server holds. */
export type Loss = {
  /** Index of the writer whose update was lost. */
  writer: number;
  /** Highest sequence number of that writer any other writer had seen before the kill. */
  seenSeq: number;
  /** What a fresh client got after the restart. */
  heldSeq: number;
  /** The same in Yjs clocks, per client id of that writer. */
  clocks: { clientId: number; seen: number; held: number }[];
  /** What the database holds (snapshot + log, read directly): tells a lost commit from a bad load. */
  storedSeq: number;
};

/** One kill/restart cycle. */
export type CycleReport = {
  /** 1-based. */
  cycle: number;
  /** How long the writers streamed before the kill. */
  streamedMs: number;
  /** Writes by all writers during this cycle (connected or not). */
  writes: number;
  /** Updates of other writers newly seen this cycle before the kill, summed over writers (how much was at stake). */
  newlySeen: number;
  /** Sequence numbers the fresh client held beyond what anyone had seen (committed, not yet broadcast). */
  heldBeyondSeen: number;
  /** Kill to ready line of the new process. */
  restartMs: number;
  /** Fresh client connect to synced. */
  verifyMs: number;
  /** Writers reconnect to all synced. */
  resyncMs: number;
  /** Empty unless something another writer had seen is gone. */
  losses: Loss[];
  /** Close codes the writers got this cycle from the server (not counting the kill). */
  closeCodes: number[];
};

type Writer = {
  index: number;
  client: TestClient;
  provider: WebsocketProvider;
  /** Every Yjs client id this writer's doc has used (Yjs may change it on a clash). */
  clientIds: Set<number>;
  seq: number;
  /** Per other writer: highest sequence number this writer observed from the server. */
  seenSeq: number[];
  /** Per Yjs client id of other writers: highest clock observed. */
  seenClock: Map<number, number>;
  /** Close events since the last cycle began. */
  closeCodes: number[];
};

/** The rig: a child collab server, its writers, and the cycle. */
export class KillNineRig {
  private writers: Writer[] = [];
  private process: CollabProcess | null = null;
  /** The next server, its code loaded, waiting to take over the port after the kill. */
  private standby: Promise<StandbyCollabProcess> | null = null;
  private ticker: NodeJS.Timeout | null = null;
  private writes = 0;
  private cycles = 0;
  private readonly random: Random;
  /** The Y.Map the writers write; its own per rig, so a reused database holds no earlier run's values. */
  private readonly mapName = `kill9-${Date.now().toString(36)}`;

  private constructor(private readonly options: Required<Omit<KillNineOptions, "config">> & KillNineOptions) {
    this.random = seededRandom(options.seed);
  }

  /** Starts the child server and connects the writers; streaming begins. */
  static async start(options: KillNineOptions): Promise<KillNineRig> {
    const rig = new KillNineRig({
      ...options,
      writers: options.writers ?? 10,
      writeIntervalMs: options.writeIntervalMs ?? 40,
      runMs: options.runMs ?? [100, 600],
      writesWhileDisconnected: options.writesWhileDisconnected ?? true,
    });
    // Each y-websocket provider adds a process "exit" listener; ten of them are expected here.
    process.setMaxListeners(Math.max(process.getMaxListeners(), rig.options.writers + 10));
    try {
      rig.process = await (await spawnStandbyCollab()).listen({ config: options.config });
      rig.prepareStandby();
      for (let index = 0; index < rig.options.writers; index++)
        rig.writers.push(await rig.connectWriter(index));
      rig.ticker = setInterval(() => rig.tick(), rig.options.writeIntervalMs);
    } catch (error) {
      await rig.close();
      throw error;
    }
    return rig;
  }

  private prepareStandby() {
    const standby = spawnStandbyCollab();
    // Awaited at the next kill; a failure is reported there.
    standby.catch(() => undefined);
    this.standby = standby;
  }

  /** The child server's port (constant across restarts). */
  get port(): number {
    if (!this.process) throw new Error("The rig is not running.");
    return this.process.port;
  }

  private get endpoint() {
    if (!this.process) throw new Error("The rig is not running.");
    return { url: this.process.url, origin: this.process.origin };
  }

  private async connectWriter(index: number): Promise<Writer> {
    const client = await connectClient(this.endpoint, this.options.room, { cookie: this.options.cookie });
    const writer: Writer = {
      index,
      client,
      provider: client.provider,
      clientIds: new Set([client.doc.clientID]),
      seq: 0,
      seenSeq: Array.from({ length: this.options.writers }, () => 0),
      seenClock: new Map(),
      closeCodes: [],
    };
    client.provider.on("connection-close", (event: CloseEvent | null) => {
      if (event) writer.closeCodes.push(event.code);
    });
    // Only updates that came from the server count as "seen" (y-websocket applies them with itself as origin).
    client.doc.on("update", (_update: Uint8Array, origin: unknown) => {
      if (origin === client.provider) this.observe(writer);
    });
    this.observe(writer);
    return writer;
  }

  /** Records what `writer` now holds of every other writer. */
  private observe(writer: Writer) {
    const map = writer.client.doc.getMap<number>(this.mapName);
    for (const other of this.writers) {
      if (other === writer) continue;
      const value = map.get(`w${other.index}`) ?? 0;
      if (value > (writer.seenSeq[other.index] ?? 0)) writer.seenSeq[other.index] = value;
      for (const clientId of other.clientIds) {
        const clock = Y.getState(writer.client.doc.store, clientId);
        if (clock > (writer.seenClock.get(clientId) ?? 0)) writer.seenClock.set(clientId, clock);
      }
    }
  }

  private tick() {
    for (const writer of this.writers) {
      if (this.random.next() < 0.2) continue;
      if (!writer.provider.synced && !this.options.writesWhileDisconnected) continue;
      writer.seq++;
      this.writes++;
      writer.client.doc.getMap<number>(this.mapName).set(`w${writer.index}`, writer.seq);
      writer.clientIds.add(writer.client.doc.clientID);
    }
  }

  /** Runs one kill/restart cycle; reports what it saw (losses are reported, not thrown). */
  async runCycle(): Promise<CycleReport> {
    const process = this.process;
    if (!process) throw new Error("The rig is not running.");
    const cycle = ++this.cycles;
    const seenBefore = this.totalSeen();
    const writesBefore = this.writes;
    for (const writer of this.writers) writer.closeCodes = [];

    // The next server's code is loaded before the kill, not during the downtime.
    const standby = await (this.standby ?? spawnStandbyCollab());
    this.standby = null;

    // 1. Stream for a random while.
    const [minRun, maxRun] = this.options.runMs;
    const streamedMs = this.random.int(minRun, maxRun);
    await sleep(streamedMs);

    // 2. kill -9.
    const killedAt = performance.now();
    await process.kill();

    // 3. Let the writers notice the dead sockets (frames already in flight still count as seen),
    // then stop them reconnecting: a writer that reconnected would resend what it holds and
    // hide a loss from the check below.
    await waitFor(
      () => this.writers.every((writer) => !writer.provider.wsconnected),
      "the writers to notice the killed server",
      5000,
    ).catch(() => undefined);
    for (const writer of this.writers) writer.provider.disconnect();
    const seen = this.snapshotSeen();
    const newlySeen = this.totalSeen() - seenBefore;

    // 4. Restart on the same port and database: a new process (warmed up in standby, so the
    // restart is as fast as the server's own start, while the old backends may still be aborting).
    this.process = await standby.listen({ port: process.port, config: this.options.config });
    const restartMs = performance.now() - killedAt;
    // Loading the next one's code overlaps the rest of this cycle.
    this.prepareStandby();

    // 5. A fresh client must hold everything any writer had seen of another.
    const verifyStarted = performance.now();
    const fresh = await connectClient(this.endpoint, this.options.room, { cookie: this.options.cookie });
    const verifyMs = performance.now() - verifyStarted;
    const losses: Loss[] = [];
    let heldBeyondSeen = 0;
    const freshMap = fresh.doc.getMap<number>(this.mapName);
    for (const writer of this.writers) {
      const seenSeq = seen.seq[writer.index] ?? 0;
      const heldSeq = freshMap.get(`w${writer.index}`) ?? 0;
      const clocks = [...writer.clientIds].map((clientId) => ({
        clientId,
        seen: seen.clock.get(clientId) ?? 0,
        held: Y.getState(fresh.doc.store, clientId),
      }));
      if (heldSeq < seenSeq || clocks.some((clock) => clock.held < clock.seen)) {
        losses.push({ writer: writer.index, seenSeq, heldSeq, clocks, storedSeq: -1 });
      }
      heldBeyondSeen += Math.max(0, heldSeq - seenSeq);
    }
    fresh.destroy();
    if (losses.length > 0) {
      const stored = await this.readStoredMap();
      for (const loss of losses) loss.storedSeq = stored.get(`w${loss.writer}`) ?? 0;
    }

    // 6. The writers come back, resend what was never committed, and sync.
    const resyncStarted = performance.now();
    for (let attempt = 0; ; attempt++) {
      for (const writer of this.writers) if (!writer.provider.shouldConnect) writer.provider.connect();
      await waitUntil(
        // A writer the server closed for good (a 44xx code) gave up; its close is reported, and it is sent back.
        () => this.writers.every((writer) => writer.provider.synced || !writer.provider.shouldConnect),
        () =>
          `the writers to sync after restart ${cycle}: ${this.describeWriters()}; server stderr: ${this.process?.stderrTail()}`,
        15_000,
      );
      if (this.writers.every((writer) => writer.provider.synced)) break;
      if (attempt >= 5)
        throw new Error(`Writers keep being closed after restart ${cycle}: ${this.describeWriters()}`);
    }
    const resyncMs = performance.now() - resyncStarted;
    return {
      cycle,
      streamedMs,
      writes: this.writes - writesBefore,
      newlySeen,
      heldBeyondSeen,
      restartMs,
      verifyMs,
      resyncMs,
      losses,
      closeCodes: this.writers
        .flatMap((writer) => writer.closeCodes)
        .filter(
          // 1006: the kill itself (no close frame). Anything else came from the server.
          (code) => code !== 1006,
        ),
    };
  }

  /** Each writer's connection state and close codes, for failure messages. */
  private describeWriters(): string {
    return this.writers
      .map(
        (writer) =>
          `w${writer.index}: ${writer.provider.synced ? "synced" : writer.provider.wsconnected ? "connected" : writer.provider.wsconnecting ? "connecting" : "down"}` +
          `${writer.provider.shouldConnect ? "" : " (gave up)"} closes [${writer.closeCodes.join(",")}]`,
      )
      .join("; ");
  }

  /** The writers' map as the database holds it, read directly (for loss reports). */
  private async readStoredMap(): Promise<Map<string, number>> {
    const doc = new Y.Doc();
    try {
      applyStoredRoom(doc, await readRoom(this.options.room));
      return new Map(doc.getMap<number>(this.mapName).entries());
    } finally {
      doc.destroy();
    }
  }

  /** What all writers have seen of the others, taken together. */
  private snapshotSeen() {
    const seq = Array.from({ length: this.options.writers }, () => 0);
    const clock = new Map<number, number>();
    for (const writer of this.writers) {
      writer.seenSeq.forEach((value, index) => (seq[index] = Math.max(seq[index] ?? 0, value)));
      for (const [clientId, value] of writer.seenClock)
        clock.set(clientId, Math.max(clock.get(clientId) ?? 0, value));
    }
    return { seq, clock };
  }

  private totalSeen(): number {
    return this.writers.reduce((sum, writer) => sum + writer.seenSeq.reduce((a, b) => a + b, 0), 0);
  }

  /**
   * Stops writing and checks that the writers and a fresh client converge:
   * resolves with the writers' final sequence numbers as the fresh client holds them.
   */
  async settle(): Promise<{ converged: boolean; finalSeq: number[]; freshSeq: number[] }> {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
    const finalSeq = this.writers.map((writer) => writer.seq);
    const fresh = await connectClient(this.endpoint, this.options.room, { cookie: this.options.cookie });
    const freshSeq = () =>
      this.writers.map((writer) => fresh.doc.getMap<number>(this.mapName).get(`w${writer.index}`) ?? 0);
    const converged = await waitFor(
      () => freshSeq().every((value, index) => value === finalSeq[index]),
      "a fresh client to hold every writer's last write",
    )
      .then(() => true)
      .catch(() => false);
    const result = { converged, finalSeq, freshSeq: freshSeq() };
    fresh.destroy();
    return result;
  }

  /** Destroys the writers and stops the child gracefully. */
  async close(): Promise<void> {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
    for (const writer of this.writers) writer.client.destroy();
    this.writers = [];
    await this.process?.stop();
    this.process = null;
    const standby = this.standby;
    this.standby = null;
    await standby?.then((process) => process.kill()).catch(() => undefined);
  }
}

/** Polls `condition`; on timeout throws with `describe()` as it is then (waitFor's message is fixed up front). */
async function waitUntil(condition: () => boolean, describe: () => string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${describe()}`);
    await sleep(10);
  }
}

/** Totals and means over cycles, for the test's log line and the soak's summary. */
export function summarize(reports: CycleReport[]) {
  const mean = (pick: (report: CycleReport) => number) =>
    reports.length ? Math.round(reports.reduce((sum, report) => sum + pick(report), 0) / reports.length) : 0;
  const max = (pick: (report: CycleReport) => number) => Math.round(Math.max(0, ...reports.map(pick)));
  return {
    cycles: reports.length,
    writes: reports.reduce((sum, report) => sum + report.writes, 0),
    seenAcrossWriters: reports.reduce((sum, report) => sum + report.newlySeen, 0),
    heldBeyondSeen: reports.reduce((sum, report) => sum + report.heldBeyondSeen, 0),
    cyclesWithLosses: reports.filter((report) => report.losses.length > 0).length,
    serverCloses: reports.flatMap((report) => report.closeCodes),
    meanMs: {
      streamed: mean((report) => report.streamedMs),
      restart: mean((report) => report.restartMs),
      verify: mean((report) => report.verifyMs),
      resync: mean((report) => report.resyncMs),
    },
    maxMs: {
      restart: max((report) => report.restartMs),
      verify: max((report) => report.verifyMs),
      resync: max((report) => report.resyncMs),
    },
  };
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
