/**
 * A large seminar room's first sync in slices (docs/adr/0036), against a real collab server
 * with raw sockets and real y-websocket clients: the slices come as updates and end in one
 * step 2; a y-websocket reader says it has synced only once it has the whole room, the same
 * room a reader served whole gets; after a write, newcomers get the slices cut before and what
 * came since, until that passes a slice's size; text rooms go whole; the slow-reader check
 * leaves the slices out while they go out, as it did a whole sync.
 */
import WebSocket from "ws";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeServerRoom } from "../../lib/server/realtime/write-server-room";
import { roomName, ROOT_TYPES } from "../../lib/shared/rooms";
import { connectClient, sessionCookie, startCollab, waitFor, type CollabHarness } from "../helpers/collab";
import { seedReading } from "../helpers/large-discussion";
import {
  containsBytes,
  decodeFrame,
  queryAwarenessMessage,
  syncStep1,
  type DecodedFrame,
} from "./protocol-kit";

const SLICE_BYTES = 32 * 1024;

let sliced: CollabHarness;
let whole: CollabHarness;
let cookie: string;
let seminarRoom: string;
let textRoom: string;

beforeAll(async () => {
  sliced = await startCollab({ syncSliceBytes: SLICE_BYTES });
  whole = await startCollab({ syncSliceBytes: 0 });
  // ~270 KB of seminar room.
  const reading = await seedReading(300);
  cookie = (await sessionCookie(reading.instructor)).cookie;
  seminarRoom = roomName({ kind: "seminar", seminarId: reading.seminarId, documentId: reading.documentId });
  textRoom = roomName({ kind: "text", documentId: reading.documentId });
}, 120_000);

afterAll(async () => {
  await sliced?.close();
  await whole?.close();
});

/** A raw socket asking `harness` for the whole of `room`; the frames it got up to its sync step 2. */
async function framesToSync(
  harness: CollabHarness,
  room: string,
  options: { perMessageDeflate?: boolean } = {},
): Promise<DecodedFrame[]> {
  const ws = new WebSocket(`${harness.url}/${room}`, {
    headers: { cookie, origin: harness.origin },
    perMessageDeflate: options.perMessageDeflate ?? true,
  });
  const frames: DecodedFrame[] = [];
  ws.on("message", (data: Buffer) => frames.push(decodeFrame(new Uint8Array(data))));
  await new Promise<void>((resolve) => ws.once("open", () => resolve()));
  ws.send(syncStep1());
  try {
    await waitFor(
      () => frames.some((frame) => frame.type === "sync-step2"),
      `a raw client of ${room} to sync`,
    );
    return frames.filter((frame) => frame.type === "sync-step2" || frame.type === "sync-update");
  } finally {
    ws.terminate();
  }
}

/** What a reader reads of a seminar room. */
function roomContents(doc: Y.Doc) {
  return {
    annotations: doc.getMap(ROOT_TYPES.annotations).toJSON(),
    comments: doc.getMap(ROOT_TYPES.comments).toJSON(),
    categories: doc.getMap(ROOT_TYPES.categories).toJSON(),
  };
}

describe("a large seminar room's first sync", () => {
  it("comes in slices, updates ending in one step 2, which together are the room served whole", async () => {
    const slicedFrames = await framesToSync(sliced, seminarRoom);
    const wholeFrames = await framesToSync(whole, seminarRoom);
    expect(wholeFrames.map((frame) => frame.type)).toEqual(["sync-step2"]);
    const wholeUpdate = (wholeFrames[0] as { update: Uint8Array }).update;
    expect(wholeUpdate.byteLength).toBeGreaterThan(8 * SLICE_BYTES);

    const types = slicedFrames.map((frame) => frame.type);
    expect(types.length).toBeGreaterThanOrEqual(8);
    expect(types.slice(0, -1).every((type) => type === "sync-update")).toBe(true);
    expect(types.at(-1)).toBe("sync-step2");
    const reader = new Y.Doc();
    for (const frame of slicedFrames) {
      const { update } = frame as { update: Uint8Array };
      expect(update.byteLength).toBeLessThan(SLICE_BYTES + 4096);
      Y.applyUpdate(reader, update);
      expect(reader.store.pendingStructs).toBeNull();
    }
    const wholeReader = new Y.Doc();
    Y.applyUpdate(wholeReader, wholeUpdate);
    expect(Y.encodeStateVector(reader)).toEqual(Y.encodeStateVector(wholeReader));
    expect(roomContents(reader)).toEqual(roomContents(wholeReader));
    expect(Object.keys(roomContents(reader).annotations)).toHaveLength(300);
  });

  it("leaves a y-websocket reader unsynced until it has the whole room", async () => {
    const counts: number[] = [];
    const doc = new Y.Doc();
    // Every update the reader applies, with whether the provider says it has synced by then.
    let syncedAtUpdate: number | null = null;
    const client = await connectClient(sliced, seminarRoom, { cookie, doc, waitForSync: false });
    doc.on("update", () => {
      counts.push(doc.getMap(ROOT_TYPES.annotations).size);
      if (client.provider.synced && syncedAtUpdate === null) syncedAtUpdate = counts.length;
    });
    try {
      await waitFor(() => client.provider.synced, "the sliced reader to sync");
      expect(counts.length).toBeGreaterThanOrEqual(8);
      // Synced once the last slice was applied, not before; the room was whole by then.
      expect(syncedAtUpdate).toBeNull();
      expect(doc.getMap(ROOT_TYPES.annotations).size).toBe(300);
      expect(counts.slice(0, -1).every((count) => count < 300)).toBe(true);
    } finally {
      client.destroy();
    }
  });

  it("after a write, sends the slices cut before and what came since, until a deletion or a slice's size of writes", async () => {
    const present = await connectClient(sliced, seminarRoom, { cookie });
    const annotations = present.doc.getMap<string>(ROOT_TYPES.annotations);
    const payloads = (frames: DecodedFrame[]) =>
      frames.map((frame) => (frame as { update: Uint8Array }).update);
    const write = async (change: (entries: Y.Map<unknown>) => void, reached: () => boolean) => {
      await writeServerRoom(seminarRoom, (_tx, doc) =>
        Promise.resolve(change(doc.getMap(ROOT_TYPES.annotations))),
      );
      await waitFor(reached, "the write to reach the present reader");
    };
    /** The whole room as a newcomer gets it, applied to a fresh doc: the same room the present reader has. */
    const expectWholeRoom = (frames: DecodedFrame[]) => {
      expect(frames.at(-1)?.type).toBe("sync-step2");
      const reader = new Y.Doc();
      for (const update of payloads(frames)) Y.applyUpdate(reader, update);
      expect(Y.encodeStateVector(reader)).toEqual(Y.encodeStateVector(present.doc));
      expect(roomContents(reader)).toEqual(roomContents(present.doc));
    };
    /** Cut afresh: even slices, none small. */
    const expectCutAgain = (frames: DecodedFrame[]) => {
      for (const update of payloads(frames)) {
        expect(update.byteLength).toBeGreaterThan(SLICE_BYTES / 2);
        expect(update.byteLength).toBeLessThan(SLICE_BYTES + 4096);
      }
    };
    try {
      const before = await framesToSync(sliced, seminarRoom);

      // A new entry: the slices before, then what came since as the step 2.
      await write(
        (entries) => entries.set("added", "a small write"),
        () => annotations.has("added"),
      );
      const after = await framesToSync(sliced, seminarRoom);
      expect(after.map((frame) => frame.type)).toEqual([...before.map(() => "sync-update"), "sync-step2"]);
      expect(payloads(after).slice(0, -1)).toEqual(payloads(before));
      expect((payloads(after).at(-1) as Uint8Array).byteLength).toBeLessThan(4096);
      expectWholeRoom(after);

      // A deletion: cut again, and what was deleted goes to no newcomer.
      const [gone] = annotations.keys();
      const goneText = annotations.get(gone as string) as string;
      expect(payloads(after).some((update) => containsBytes(update, goneText))).toBe(true);
      await write(
        (entries) => entries.delete(gone as string),
        () => !annotations.has(gone as string),
      );
      const deleted = await framesToSync(sliced, seminarRoom);
      expect(payloads(deleted).some((update) => containsBytes(update, goneText))).toBe(false);
      expectCutAgain(deleted);
      expectWholeRoom(deleted);

      // More than a slice's worth of new entries since: cut again.
      await write(
        (entries) => {
          for (let i = 0; i < 100; i++)
            entries.set(`large${i}`, "a large write. ".repeat(SLICE_BYTES / 1000));
        },
        () => annotations.has("large99"),
      );
      const again = await framesToSync(sliced, seminarRoom);
      expectCutAgain(again);
      expectWholeRoom(again);
    } finally {
      present.destroy();
    }
  });

  it("is compressed once and sent so to every newcomer until the room changes", async () => {
    const compressing = await startCollab({ syncSliceBytes: SLICE_BYTES, compressAboveBytes: 1024 });
    const counts = () => {
      const { syncFramesDeflated, syncFramesReused } = compressing.server.metrics().totals;
      return { deflated: syncFramesDeflated, reused: syncFramesReused };
    };
    const updates = (frames: DecodedFrame[]) =>
      frames.map((frame) => (frame as { update: Uint8Array }).update);
    // The same slices, byte for byte (compared whole: the room is a few MB by now).
    const expectSameSlices = (frames: DecodedFrame[], others: DecodedFrame[]) => {
      expect(frames.length).toBe(others.length);
      expect(Buffer.concat(updates(frames)).equals(Buffer.concat(updates(others)))).toBe(true);
    };
    try {
      // Four newcomers at once: one socket deflates each slice, the others wait for its form.
      const [first, ...others] = await Promise.all(
        Array.from({ length: 4 }, () => framesToSync(compressing, seminarRoom)),
      );
      expect(first?.length).toBeGreaterThanOrEqual(8);
      if (!first) return;
      expect(counts()).toEqual({ deflated: first.length, reused: 3 * first.length });
      for (const other of others) expectSameSlices(other, first);
      // One more, later: the forms are kept.
      const second = await framesToSync(compressing, seminarRoom);
      expect(counts()).toEqual({ deflated: first.length, reused: 4 * first.length });
      expectSameSlices(second, first);

      // A y-websocket reader, inflating them as a browser does, gets the whole room.
      const reader = await connectClient(compressing, seminarRoom, { cookie });
      try {
        const served = new Y.Doc();
        for (const update of updates(first)) Y.applyUpdate(served, update);
        expect(roomContents(reader.doc)).toEqual(roomContents(served));
        expect(reader.doc.getMap(ROOT_TYPES.annotations).size).toBeGreaterThanOrEqual(300);
        expect(counts()).toEqual({ deflated: first.length, reused: 5 * first.length });

        // A deletion cuts the room again: the new slices are deflated anew, once.
        const annotations = reader.doc.getMap<string>(ROOT_TYPES.annotations);
        const [gone] = annotations.keys();
        await writeServerRoom(seminarRoom, (_tx, doc) =>
          Promise.resolve(doc.getMap(ROOT_TYPES.annotations).delete(gone as string)),
        );
        await waitFor(() => !annotations.has(gone as string), "the deletion to reach the reader");
        const third = await framesToSync(compressing, seminarRoom);
        expect(counts()).toEqual({ deflated: first.length + third.length, reused: 5 * first.length });
        const fourth = await framesToSync(compressing, seminarRoom);
        expect(counts()).toEqual({
          deflated: first.length + third.length,
          reused: 5 * first.length + third.length,
        });
        expectSameSlices(fourth, third);

        // A client that did not agree to compression gets the same slices plain.
        const plain = await framesToSync(compressing, seminarRoom, { perMessageDeflate: false });
        expectSameSlices(plain, third);
        expect(counts().reused).toBe(5 * first.length + third.length);
      } finally {
        reader.destroy();
      }
    } finally {
      await compressing.close();
    }
  });

  it("sends a text room whole, however large", async () => {
    const tiny = await startCollab({ syncSliceBytes: 1024 });
    try {
      const frames = await framesToSync(tiny, textRoom);
      expect(frames.map((frame) => frame.type)).toEqual(["sync-step2"]);
      expect((frames[0] as { update: Uint8Array }).update.byteLength).toBeGreaterThan(4 * 1024);
    } finally {
      await tiny.close();
    }
  });

  it("does not close a reader whose slices are larger than the send-buffer limit when presence follows them", async () => {
    // Compressed (as 512 KB slices are by default): `ws` counts a slice at full size until it is
    // compressed and written, and queues the rest behind it.
    const limited = await startCollab({
      syncSliceBytes: SLICE_BYTES,
      compressAboveBytes: 1024,
      maxBufferedBytes: 64 * 1024,
    });
    const present = await connectClient(limited, seminarRoom, { cookie });
    try {
      present.provider.awareness.setLocalStateField("cursor", null);
      const ws = new WebSocket(`${limited.url}/${seminarRoom}`, {
        headers: { cookie, origin: limited.origin },
      });
      const kinds: string[] = [];
      let closedWith: number | null = null;
      ws.on("message", (data: Buffer) => kinds.push(decodeFrame(new Uint8Array(data)).type));
      ws.on("close", (code) => (closedWith = code));
      await new Promise<void>((resolve) => ws.once("open", () => resolve()));
      // The whole room, then at once the room's presence: answered while the slices are still going out.
      ws.send(syncStep1());
      ws.send(queryAwarenessMessage());
      await waitFor(
        () => kinds.includes("sync-step2") && kinds.lastIndexOf("awareness") > kinds.indexOf("sync-update"),
        `the slices and presence (got ${kinds.join(", ")}; closed with ${closedWith})`,
      );
      expect(kinds.filter((kind) => kind === "sync-update").length).toBeGreaterThanOrEqual(8);
      expect(closedWith).toBeNull();
      ws.terminate();
    } finally {
      present.destroy();
      await limited.close();
    }
  });
});
