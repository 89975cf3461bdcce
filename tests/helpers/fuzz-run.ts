/**
 * The malformed-frame fuzzer run against a live collab server: shared by
 * tests/collab/malformed-frames.test.ts (5,200 frames in CI) and
 * `npm run soak -- --fuzz N` (millions). Bystanders sit in the fuzzed room
 * and in another room; the other room must keep delivering its probes, every
 * bad frame must close only its own socket with a protocol-error code, and
 * afterwards both rooms must load from what is stored, the way a client
 * would.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { prosemirrorJSONToYXmlFragment } from "@tiptap/y-tiptap";
import WebSocket from "ws";
import * as Y from "yjs";
import { db } from "../../lib/server/db";
import { appendUpdate, applyStoredRoom, loadRoom } from "../../lib/server/realtime/update-log";
import { ROOT_TYPES, roomName } from "../../lib/shared/rooms";
import { getReadingSchema } from "../../lib/shared/schema/reading-schema";
import { inspectUpdate } from "../../lib/shared/yjs/inspect-update";
import { connectClient, sessionCookie, waitFor, type TestClient } from "./collab";
import { buildSeminar, buildUser } from "./factories";
import { isSyncStep1, PROTOCOL_ERROR_CODES, type FuzzFrame } from "./fuzz-frames";

/** A sync step 1 with an empty state vector: the server answers every one with a sync step 2. */
const PROBE = new Uint8Array([0, 0, 1, 0]);

/** What happened to one frame. */
export type Verdict = {
  frame: FuzzFrame;
  index: number;
  role: "writer" | "reader";
  code: number | null;
  ms: number;
};

/** A raw socket that counts the sync step 2 answers it gets. */
class FuzzSocket {
  readonly ws: WebSocket;
  answers = 0;
  closeCode: number | null = null;
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;

  constructor(url: string, headers: Record<string, string>) {
    this.ws = new WebSocket(url, { headers });
    this.ws.on("message", (data: Buffer) => {
      if (data[0] === 0 && data[1] === 1) this.answers++;
    });
    // A reset while we still send (over-maxPayload frames) is expected; the close event follows.
    this.ws.on("error", () => undefined);
    this.opened = new Promise((resolve, reject) => {
      this.ws.once("open", () => resolve());
      this.ws.once("unexpected-response", (_request, response) =>
        reject(new Error(`upgrade refused with ${response.statusCode}`)),
      );
      this.ws.once("close", () => reject(new Error("closed before it opened")));
    });
    this.closed = new Promise((resolve) =>
      this.ws.once("close", (code) => {
        this.closeCode = code;
        resolve(code);
      }),
    );
  }

  get isOpen() {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends `frame` and a probe; resolves with the close code it drew, or null when the server answered the probe. */
  async judge(frame: FuzzFrame): Promise<number | null> {
    const before = this.answers;
    const expected = !frame.isText && isSyncStep1(frame.data as Uint8Array) ? 2 : 1;
    this.ws.send(frame.data, { binary: !frame.isText });
    if (this.isOpen) this.ws.send(PROBE);
    const answered = waitFor(
      () => this.answers >= before + expected || this.closeCode !== null,
      "a verdict",
      20_000,
    );
    await Promise.race([answered, this.closed]);
    // A connection's messages are handled in order: an answer to the probe means the frame was handled without a close.
    return this.answers >= before + expected ? null : this.closeCode;
  }
}

/**
 * Opens a fuzz socket, retrying a refused upgrade: under load the server may answer 503 ("could not
 * check your access"), which is a verdict on the upgrade, not on any frame.
 */
async function openFuzzSocket(url: string, headers: Record<string, string>, onRefused: () => void) {
  for (let attempt = 1; ; attempt++) {
    const socket = new FuzzSocket(url, headers);
    try {
      await socket.opened;
      return socket;
    } catch (error) {
      onRefused();
      if (attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** The rooms and accounts of a fuzz run: a seeded text room to fuzz, a notes room beside it, and cookies for its writer and a reader. */
export type FuzzRooms = { fuzzedRoom: string; otherRoom: string; writerCookie: string; readerCookie: string };

/** Makes a seminar with one reader, seeds its text room byte for byte and names a notes room that must stay untouched. */
export async function prepareFuzzRooms(): Promise<FuzzRooms> {
  const reader = await buildUser({ name: "Reader" });
  const seminar = await buildSeminar({ students: [reader], ownText: true });
  const documentId = seminar.documentId as string;
  const fuzzedRoom = roomName({ kind: "text", documentId });
  const otherRoom = roomName({ kind: "notes", documentId, userId: seminar.instructor.id });
  await seedFuzzedTextRoom(fuzzedRoom, documentId);
  const writerCookie = (await sessionCookie(seminar.instructor)).cookie;
  const readerCookie = (await sessionCookie(reader)).cookie;
  return { fuzzedRoom, otherRoom, writerCookie, readerCookie };
}

/** Seeds the text room with a fixed client id (the server would pick a random one), so a seed replays byte for byte. */
export async function seedFuzzedTextRoom(room: string, documentId: string) {
  const { content } = await db.document.findUniqueOrThrow({
    where: { id: documentId },
    select: { content: true },
  });
  const doc = new Y.Doc();
  doc.clientID = 1;
  prosemirrorJSONToYXmlFragment(getReadingSchema(), content, doc.getXmlFragment(ROOT_TYPES.text));
  await db.$transaction((tx) => appendUpdate(tx, room, Y.encodeStateAsUpdate(doc), "seed"));
  doc.destroy();
}

/** Frames a reader's socket drops without looking inside (docs/architecture.md §2: read-only connections drop [0,1] and [0,2]). */
function isDroppedForReaders(frame: FuzzFrame): boolean {
  return frame.kind === "update-over-max-update-bytes" || frame.kind.startsWith("deep-value(");
}

function isWrongOutcome({ frame, role, code }: Verdict): boolean {
  const isDropped = role === "reader" && isDroppedForReaders(frame);
  if (code === null) return frame.expect !== null && !isDropped;
  if (!(PROTOCOL_ERROR_CODES as readonly number[]).includes(code) || isDropped) return true;
  return frame.expect !== null && !frame.expect.includes(code);
}

/**
 * Loads a room from what is stored, as the server does, then decodes the
 * state the server would send a newcomer, as a client does; returns true, or
 * why not (also when the loaded room holds something pending).
 */
export async function roomLoads(room: string): Promise<true | string> {
  const server = new Y.Doc();
  const client = new Y.Doc();
  try {
    applyStoredRoom(server, await loadRoom(room));
    // Content Yjs keeps waiting for clocks that never come: merged into every sync from then on.
    const store = server.store as unknown as { pendingStructs: unknown; pendingDs: unknown };
    if (store.pendingStructs || store.pendingDs)
      return `the stored room leaves ${store.pendingStructs ? "structs" : "deletions"} pending`;
    const state = Y.encodeStateAsUpdate(server);
    const inspection = inspectUpdate(state);
    if (!inspection.isReadable) return `the state sent to clients is unreadable: ${inspection.detail}`;
    if (inspection.offences.length > 0)
      return `the state sent to clients carries ${inspection.offences[0]?.detail}`;
    Y.applyUpdate(client, state);
    return true;
  } catch (error) {
    return String(error);
  } finally {
    server.destroy();
    client.destroy();
  }
}

/** Options of {@link runFuzz}. */
export type FuzzRunOptions = {
  /** The collab server. */
  target: { url: string; origin: string };
  /** The room the frames go to, and a room that must not notice. */
  fuzzedRoom: string;
  otherRoom: string;
  /** An instructor's cookie (writes both rooms) and a student's (reads the fuzzed one). */
  writerCookie: string;
  readerCookie: string;
  /** The frames; `count` of them are taken. */
  frames: Iterator<FuzzFrame>;
  count: number;
  /** Sockets sending at once. */
  workers?: number;
  /** Open connections on the server, where it can be asked (an in-process server). */
  countConnections?: () => number;
  /** Asked between chunks of frames: true ends the run early (the checks after it still run). */
  shouldStop?: () => boolean;
  /** Called every `progressEvery` frames. */
  onProgress?: (done: number, report: () => string) => void;
  progressEvery?: number;
};

/** What {@link runFuzz} saw. */
export type FuzzReport = {
  frames: number;
  outcomes: Record<string, number>;
  /** Upgrades of fuzz sockets the server refused (retried). */
  refusedUpgrades: number;
  wrongOutcomes: {
    index: number;
    kind: string;
    role: string;
    code: number | null;
    expect: readonly number[] | null;
  }[];
  wrongOutcomeCount: number;
  bystanderCloses: number[][];
  hasConverged: boolean;
  leftConnections: number | null;
  newcomerTextMatches: boolean;
  newcomerTickMatches: boolean;
  fuzzedRoomLoads: true | string;
  otherRoomLoads: true | string;
  /** The other room's stored state is exactly what its writer wrote. */
  otherRoomUntouched: boolean;
  /** The other room's checkpoints: how many were delivered during the run, and the worst lag. */
  otherRoomProbes: { delivered: number; maxLagMs: number };
  slowest: { index: number; kind: string; ms: number } | null;
  eventLoopDelayMaxMs: number;
  seconds: number;
};

/** Runs the fuzzer; never throws for what the server does (that goes in the report). */
export async function runFuzz(options: FuzzRunOptions): Promise<FuzzReport> {
  const workers = options.workers ?? 16;
  const { target, fuzzedRoom, otherRoom, writerCookie, readerCookie } = options;
  const started = performance.now();

  // Bystanders: a writer and a reader in the fuzzed room; a writer and a second tab in another room.
  const fuzzedWriter = await connectClient(target, fuzzedRoom, { cookie: writerCookie });
  const fuzzedReader = await connectClient(target, fuzzedRoom, { cookie: readerCookie });
  const otherWriter = await connectClient(target, otherRoom, { cookie: writerCookie });
  const otherTab = await connectClient(target, otherRoom, { cookie: writerCookie });
  const bystanders: TestClient[] = [fuzzedWriter, fuzzedReader, otherWriter, otherTab];

  // Bystander writers type at a brisk human pace (10 edits a second). Much faster, one connection's
  // updates queue behind each other's commits once fuzzing loads Postgres.
  let ticks = 0;
  const ticker = setInterval(() => {
    ticks++;
    otherWriter.doc.getMap<number>("notes").set(`k${ticks % 7}`, ticks);
    fuzzedWriter.doc.getMap<number>("bystander").set("tick", ticks);
  }, 100);
  const loopDelay = monitorEventLoopDelay({ resolution: 20 });
  loopDelay.enable();

  // The other room must keep syncing while the fuzzing goes on: a checkpoint every 250 ms.
  let isFuzzing = true;
  let probesDelivered = 0;
  let maxLagMs = 0;
  let probeFailure: string | null = null;
  const watchOtherRoom = async () => {
    for (let checkpoint = 1; isFuzzing; checkpoint++) {
      const sent = Date.now();
      otherWriter.doc.getMap<number>("notes").set("checkpoint", checkpoint);
      try {
        await waitFor(
          () => otherTab.doc.getMap<number>("notes").get("checkpoint") === checkpoint,
          `checkpoint ${checkpoint} to reach the other room's second tab during the fuzzing`,
          // Generous: this checks that the room keeps working, not how fast (the report gives the lag).
          30_000,
        );
      } catch (error) {
        probeFailure = String(error);
        return;
      }
      probesDelivered++;
      maxLagMs = Math.max(maxLagMs, Date.now() - sent);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };

  const outcomes: Record<string, number> = {};
  const wrong: Verdict[] = [];
  let wrongCount = 0;
  let judged = 0;
  let slowest: Verdict | null = null;
  let refusedUpgrades = 0;
  const record = (verdict: Verdict) => {
    judged++;
    const key = String(verdict.code ?? "handled");
    outcomes[key] = (outcomes[key] ?? 0) + 1;
    if (isWrongOutcome(verdict)) {
      wrongCount++;
      if (wrong.length < 8) wrong.push(verdict);
    }
    if (!slowest || verdict.ms > slowest.ms) slowest = verdict;
  };
  const headers = {
    writer: { cookie: writerCookie, origin: target.origin },
    reader: { cookie: readerCookie, origin: target.origin },
  };
  const url = `${target.url}/${fuzzedRoom}`;
  const sockets: (FuzzSocket | null)[] = Array.from({ length: workers }, () => null);
  const summary = () =>
    `${judged} frames, outcomes ${JSON.stringify(outcomes)}, ${wrongCount} wrong, ${refusedUpgrades} refused upgrades, ` +
    `other room ${probesDelivered} probes delivered (max lag ${maxLagMs} ms)`;

  // Frames are dealt in chunks, to workers by index, so each frame's socket role is fixed by the seed
  // and only one chunk of frames is held at a time.
  const chunkSize = workers * 32;
  const watcher = watchOtherRoom();
  try {
    for (let offset = 0; offset < options.count && !options.shouldStop?.(); offset += chunkSize) {
      const chunk: FuzzFrame[] = [];
      while (chunk.length < chunkSize && offset + chunk.length < options.count) {
        chunk.push(options.frames.next().value as FuzzFrame);
      }
      const worker = async (id: number) => {
        // Every fourth worker is a reader: its writes are dropped unread, everything else is checked as for writers.
        const role = id % 4 === 3 ? "reader" : "writer";
        for (let index = id; index < chunk.length; index += workers) {
          let socket = sockets[id] ?? null;
          if (!socket?.isOpen)
            socket = sockets[id] = await openFuzzSocket(url, headers[role], () => refusedUpgrades++);
          const frame = chunk[index] as FuzzFrame;
          const frameStarted = performance.now();
          const code = await socket.judge(frame);
          record({ frame, index: offset + index, role, code, ms: performance.now() - frameStarted });
        }
      };
      await Promise.all(Array.from({ length: workers }, (_, id) => worker(id)));
      const done = Math.min(options.count, offset + chunkSize);
      const every = options.progressEvery ?? Number.POSITIVE_INFINITY;
      if (options.onProgress && Math.floor(done / every) > Math.floor(offset / every))
        options.onProgress(done, summary);
    }
  } finally {
    isFuzzing = false;
    clearInterval(ticker);
    loopDelay.disable();
    for (const socket of sockets) socket?.ws.close();
  }
  await watcher;

  // The bystanders were never closed, and both rooms converge.
  const lastTick = ticks;
  const hasConverged = await waitFor(
    () =>
      fuzzedReader.doc.getMap<number>("bystander").get("tick") === lastTick &&
      otherTab.doc.getMap<number>("notes").get(`k${lastTick % 7}`) === lastTick,
    "bystanders to converge after the fuzzing",
    30_000,
  )
    .then(() => true)
    .catch(() => false);
  // Only the bystanders' sockets are left: each bad frame closed its own socket, and nothing leaked.
  let leftConnections: number | null = null;
  if (options.countConnections) {
    const count = options.countConnections;
    await waitFor(() => count() === bystanders.length, "the fuzz sockets to be gone").catch(() => undefined);
    leftConnections = count();
  }

  // The server is up: a newcomer syncs the fuzzed room; both rooms' stored logs still load.
  const newcomer = await connectClient(target, fuzzedRoom, { cookie: readerCookie });
  // The newcomer gets the text the live reader holds. Not "the essay is still there": a mutated
  // update can be a valid edit (a flipped bit in a delete set deletes a range), and the fuzzing
  // writers may edit the text; what must hold is that everyone ends with the same committed text.
  // (A frame sent just before its socket closed may land after the last tick: wait briefly.)
  const newcomerTextMatches = await waitFor(
    () =>
      newcomer.doc.getXmlFragment(ROOT_TYPES.text).toJSON() ===
      fuzzedReader.doc.getXmlFragment(ROOT_TYPES.text).toJSON(),
    "the newcomer to hold the reader's text",
    10_000,
  )
    .then(() => true)
    .catch(() => false);
  const newcomerTickMatches = newcomer.doc.getMap<number>("bystander").get("tick") === lastTick;
  newcomer.destroy();
  const fuzzedRoomLoads = await roomLoads(fuzzedRoom);
  const otherRoomLoads = await roomLoads(otherRoom);
  // The other room's stored state is exactly what its writer wrote: nothing of the fuzzing got in.
  const otherStored = new Y.Doc();
  applyStoredRoom(otherStored, await loadRoom(otherRoom));
  const otherRoomUntouched =
    JSON.stringify(otherStored.getMap("notes").toJSON()) ===
      JSON.stringify(otherWriter.doc.getMap("notes").toJSON()) &&
    JSON.stringify([...Y.decodeStateVector(Y.encodeStateVector(otherStored))]) ===
      JSON.stringify([
        [otherWriter.doc.clientID, Y.getState(otherWriter.doc.store, otherWriter.doc.clientID)],
      ]);
  otherStored.destroy();
  const bystanderCloses = bystanders.map((client) => client.closes.map((close) => close.code));
  for (const client of bystanders) client.destroy();

  const worst = slowest as Verdict | null;
  return {
    frames: judged,
    outcomes,
    refusedUpgrades,
    wrongOutcomes: wrong.map(({ frame, index, role, code }) => ({
      index,
      kind: frame.kind,
      role,
      code,
      expect: frame.expect,
    })),
    wrongOutcomeCount: wrongCount,
    bystanderCloses,
    hasConverged,
    leftConnections,
    newcomerTextMatches,
    newcomerTickMatches,
    fuzzedRoomLoads,
    otherRoomLoads,
    otherRoomUntouched,
    otherRoomProbes: {
      delivered: probesDelivered,
      maxLagMs: probeFailure ? Number.POSITIVE_INFINITY : maxLagMs,
    },
    slowest: worst ? { index: worst.index, kind: worst.frame.kind, ms: Math.round(worst.ms) } : null,
    eventLoopDelayMaxMs: Math.round(loopDelay.max / 1e6),
    seconds: Math.round((performance.now() - started) / 1000),
  };
}
