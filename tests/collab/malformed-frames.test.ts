import { monitorEventLoopDelay } from "node:perf_hooks";
import { prosemirrorJSONToYXmlFragment } from "@tiptap/y-tiptap";
import WebSocket from "ws";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { appendUpdate, applyStoredRoom, loadRoom } from "../../lib/server/realtime/update-log";
import { ROOT_TYPES, roomName } from "../../lib/shared/rooms";
import { getReadingSchema } from "../../lib/shared/schema/reading-schema";
import { defaultConfiguration } from "../../server/collab/config";
import {
  connectClient,
  sessionCookie,
  startCollab,
  waitFor,
  type CollabHarness,
  type TestClient,
} from "../helpers/collab";
import { buildSeminar, buildUser } from "../helpers/factories";
import {
  buildBaseFrames,
  buildFuzzFrames,
  isSyncStep1,
  PROTOCOL_ERROR_CODES,
  type FuzzFrame,
} from "../helpers/fuzz-frames";
import { seededRandom, seedFromEnv } from "../helpers/random";

/** Replay a failure with FUZZ_SEED=<the seed in the test's name>. */
const SEED = seedFromEnv("FUZZ_SEED", 20261127);
const FRAMES = 5200;
const WORKERS = 16;
/** A sync step 1 with an empty state vector: the server answers every one with a sync step 2. */
const PROBE = new Uint8Array([0, 0, 1, 0]);

let harness: CollabHarness;
beforeAll(async () => {
  harness = await startCollab();
});
afterAll(async () => {
  await harness?.close();
});

/** What happened to one frame. */
type Verdict = {
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

/** Seeds the text room with a fixed client id (the server would pick a random one), so a seed replays byte for byte. */
async function seedTextRoom(room: string, documentId: string) {
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
  return frame.kind === "update-over-max-update-bytes";
}

function isWrongOutcome({ frame, role, code }: Verdict): boolean {
  const isDropped = role === "reader" && isDroppedForReaders(frame);
  if (code === null) return frame.expect !== null && !isDropped;
  if (!(PROTOCOL_ERROR_CODES as readonly number[]).includes(code) || isDropped) return true;
  return frame.expect !== null && !frame.expect.includes(code);
}

describe("malformed frames", () => {
  it(`${FRAMES} mutated, truncated and oversize frames close only their own sockets and harm no other room (seed ${SEED})`, async () => {
    const reader = await buildUser({ name: "Reader" });
    const seminar = await buildSeminar({ students: [reader] });
    const documentId = seminar.documentId as string;
    const fuzzedRoom = roomName({ kind: "text", documentId });
    const otherRoom = roomName({ kind: "notes", documentId, userId: seminar.instructor.id });
    await seedTextRoom(fuzzedRoom, documentId);
    const writerCookie = (await sessionCookie(seminar.instructor)).cookie;
    const readerCookie = (await sessionCookie(reader)).cookie;

    // Bystanders: a writer and a reader in the fuzzed room; a writer and a second tab in another room.
    const fuzzedWriter = await connectClient(harness, fuzzedRoom, { cookie: writerCookie });
    const fuzzedReader = await connectClient(harness, fuzzedRoom, { cookie: readerCookie });
    const otherWriter = await connectClient(harness, otherRoom, { cookie: writerCookie });
    const otherTab = await connectClient(harness, otherRoom, { cookie: writerCookie });
    const bystanders: TestClient[] = [fuzzedWriter, fuzzedReader, otherWriter, otherTab];

    const random = seededRandom(SEED);
    const bases = buildBaseFrames(Y.encodeStateAsUpdate(fuzzedWriter.doc));
    const frames = buildFuzzFrames(bases, random, FRAMES, defaultConfiguration);

    // Bystander writers type at a brisk human pace (10 edits a second). Much faster, one connection's
    // updates queue behind each other's commits once fuzzing loads Postgres (see the report).
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
    const otherRoomLags: number[] = [];
    const watchOtherRoom = async () => {
      for (let checkpoint = 1; isFuzzing; checkpoint++) {
        const started = Date.now();
        otherWriter.doc.getMap<number>("notes").set("checkpoint", checkpoint);
        await waitFor(
          () => otherTab.doc.getMap<number>("notes").get("checkpoint") === checkpoint,
          `checkpoint ${checkpoint} to reach the other room's second tab during the fuzzing`,
          // Generous: this checks that the room keeps working, not how fast (the log line reports the lag).
          30_000,
        );
        otherRoomLags.push(Date.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };

    const verdicts: Verdict[] = [];
    const headers = {
      writer: { cookie: writerCookie, origin: harness.origin },
      reader: { cookie: readerCookie, origin: harness.origin },
    };
    const url = `${harness.url}/${fuzzedRoom}`;
    // Frames are dealt to workers by index, so each frame's socket role is fixed by the seed.
    const worker = async (id: number) => {
      // Every fourth worker is a reader: its writes are dropped unread, everything else is checked as for writers.
      const role = id % 4 === 3 ? "reader" : "writer";
      let socket: FuzzSocket | null = null;
      for (let index = id; index < frames.length; index += WORKERS) {
        if (!socket?.isOpen) {
          socket = new FuzzSocket(url, headers[role]);
          await socket.opened;
        }
        const frame = frames[index] as FuzzFrame;
        const started = performance.now();
        const code = await socket.judge(frame);
        verdicts.push({ frame, index, role, code, ms: performance.now() - started });
      }
      socket?.ws.close();
    };
    const watcher = watchOtherRoom();
    try {
      await Promise.all(Array.from({ length: WORKERS }, (_, id) => worker(id)));
    } finally {
      isFuzzing = false;
      clearInterval(ticker);
      loopDelay.disable();
    }
    await watcher;

    // Every frame got a verdict; every close had a protocol-error class code, and the exact one where there is one.
    expect(verdicts).toHaveLength(frames.length);
    const wrong = verdicts.filter(isWrongOutcome);
    const slowest = [...verdicts].sort((a, b) => b.ms - a.ms)[0] as Verdict;

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
    await waitFor(
      () => harness.server.inspect().connections === bystanders.length,
      "the fuzz sockets to be gone",
    ).catch(() => undefined);

    // The server is up: a newcomer syncs the fuzzed room; its stored log still loads.
    const newcomer = await connectClient(harness, fuzzedRoom, { cookie: readerCookie });
    const newcomerSeesText = newcomer.doc.getXmlFragment(ROOT_TYPES.text).toJSON().includes("Trotsky");
    const newcomerTick = newcomer.doc.getMap<number>("bystander").get("tick");
    newcomer.destroy();
    // A frame the server committed but Yjs cannot apply would make the room unloadable for
    // everyone once it unloads (unappliable-update.test.ts shows one).
    const reloaded = new Y.Doc();
    let fuzzedLogLoads: true | string = true;
    try {
      applyStoredRoom(reloaded, await loadRoom(fuzzedRoom));
    } catch (error) {
      fuzzedLogLoads = String(error);
    }
    reloaded.destroy();

    // The other room's stored state is exactly what its writer wrote: nothing of the fuzzing got in.
    const otherStored = new Y.Doc();
    applyStoredRoom(otherStored, await loadRoom(otherRoom));
    const otherRoomState = {
      content: otherStored.getMap("notes").toJSON(),
      clients: Object.fromEntries(Y.decodeStateVector(Y.encodeStateVector(otherStored))),
    };
    otherStored.destroy();

    const outcomes: Record<string, number> = {};
    for (const { code } of verdicts)
      outcomes[String(code ?? "handled")] = (outcomes[String(code ?? "handled")] ?? 0) + 1;
    console.log(
      `fuzz (seed ${SEED}): ${verdicts.length} frames, outcomes ${JSON.stringify(outcomes)}; ` +
        `other room: ${otherRoomLags.length} checkpoints, max lag ${Math.max(0, ...otherRoomLags)} ms; ` +
        `event loop delay max ${Math.round(loopDelay.max / 1e6)} ms; ` +
        `slowest frame ${Math.round(slowest.ms)} ms (#${slowest.index} ${slowest.frame.kind}); ` +
        `commit latency ${JSON.stringify(harness.server.metrics().commitLatencyMs)}, ` +
        `${harness.server.metrics().totals.commits} commits`,
    );

    expect({
      wrongOutcomes: wrong.slice(0, 8).map(({ frame, index, role, code }) => ({
        index,
        kind: frame.kind,
        role,
        code,
        expect: frame.expect,
      })),
      wrongOutcomeCount: wrong.length,
      bystanderCloses: bystanders.map((client) => client.closes.map((close) => close.code)),
      hasConverged,
      leftConnections: harness.server.inspect().connections,
      newcomerSeesText,
      newcomerTick,
      fuzzedLogLoads,
      otherRoomState,
    }).toEqual({
      wrongOutcomes: [],
      wrongOutcomeCount: 0,
      bystanderCloses: [[], [], [], []],
      hasConverged: true,
      leftConnections: bystanders.length,
      newcomerSeesText: true,
      newcomerTick: lastTick,
      fuzzedLogLoads: true,
      otherRoomState: {
        content: otherWriter.doc.getMap("notes").toJSON(),
        clients: { [otherWriter.doc.clientID]: Y.getState(otherWriter.doc.store, otherWriter.doc.clientID) },
      },
    });
    for (const client of bystanders) client.destroy();
  }, 120_000);
});
