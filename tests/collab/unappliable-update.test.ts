import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyStoredRoom, loadRoom } from "../../lib/server/realtime/update-log";
import { roomName } from "../../lib/shared/rooms";
import { checkUpdate } from "../../server/collab/update-guard";
import { defaultConfiguration } from "../../server/collab/config";
import { buildSeminar } from "../helpers/factories";
import {
  connectClient,
  openRaw,
  sessionCookie,
  startCollab,
  waitFor,
  type CollabHarness,
} from "../helpers/collab";

/**
 * 35 bytes found by malformed-frames.test.ts (seed 1, a splice inside a real
 * update): one GC struct far ahead of its client's clock, and a delete set
 * of junk. `Y.decodeUpdate` reads it; `Y.applyUpdate` throws "Unexpected
 * case" on it, on any document. It used to pass the update guard, get
 * committed, and make the room unloadable. Now its deletions of content
 * nobody has are cut away, and its struct, which would wait for clocks that
 * never come, has it refused as referring to content the room lacks.
 */
const UNAPPLIABLE = new Uint8Array(
  Buffer.from("0101a801a881918a06004401020546757a7a200081918a06004401020546757a7a2000", "hex"),
);

let harness: CollabHarness;
beforeAll(async () => {
  harness = await startCollab({ idleUnloadMs: 200 });
});
afterAll(async () => {
  await harness?.close();
});

function updateFrame(update: Uint8Array) {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, 2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

describe("an update that decodes but cannot be applied", () => {
  it("is the kind of update this file is about: it decodes, Yjs throws applying it, and the guard refuses it", () => {
    const doc = new Y.Doc();
    expect(() => Y.decodeUpdate(UNAPPLIABLE)).not.toThrow();
    expect(() => Y.applyUpdate(new Y.Doc(), UNAPPLIABLE)).toThrow();
    expect(checkUpdate(doc, UNAPPLIABLE, defaultConfiguration)).toEqual({
      reason: "unknown-parent",
      message: "update refers to content this room does not have",
    });
    doc.destroy();
  });

  it("a stored row that would wait for good is set aside when the room loads, not fatal", () => {
    const doc = new Y.Doc();
    const good = new Y.Doc();
    good.getMap("m").set("k", 1);
    const findings = applyStoredRoom(doc, {
      snapshot: null,
      rows: [
        { id: 1n, data: UNAPPLIABLE },
        { id: 2n, data: Y.encodeStateAsUpdate(good) },
      ],
    });
    expect(findings).toMatchObject([{ source: "update", rowId: 1n, replacement: null }]);
    expect(doc.getMap("m").get("k")).toBe(1);
    const store = doc.store as unknown as { pendingStructs: unknown; pendingDs: unknown };
    expect([store.pendingStructs, store.pendingDs]).toEqual([null, null]);
    doc.destroy();
    good.destroy();
  });

  it("is refused (the sender closed, or asked to sync again) and leaves the room working, stored and loadable", async () => {
    const seminar = await buildSeminar({ ownText: true });
    const room = roomName({ kind: "text", documentId: seminar.documentId as string });
    const { cookie } = await sessionCookie(seminar.instructor);
    const writer = await connectClient(harness, room, { cookie });
    const reader = await connectClient(harness, room, { cookie });

    const raw = await openRaw(harness, room, { cookie });
    if (!("socket" in raw)) throw new Error(`upgrade refused: ${raw.status}`);
    // After the server's greeting (sync step 1), the forged update; refused as referring to
    // content the room lacks, it is answered like an edit sent before its offline predecessors:
    // with a sync step 1 asking for them (or a close, were it not a plain update).
    await waitFor(() => raw.socket.frames.length > 0, "the server's greeting");
    const greeted = raw.socket.frames.length;
    raw.socket.send(updateFrame(UNAPPLIABLE));
    let code: number | null = null;
    void raw.socket.closed.then((closed) => (code = closed.code));
    await waitFor(
      () =>
        code !== null || raw.socket.frames.slice(greeted).some((frame) => frame[0] === 0 && frame[1] === 0),
      "the forged update to be answered",
    );

    // Whatever else happens, the room must keep working for everyone else…
    writer.doc.getMap<number>("after").set("n", 1);
    const isPropagated = await waitFor(
      () => reader.doc.getMap<number>("after").get("n") === 1,
      "a legitimate edit after the bad one to reach the reader",
      3000,
    )
      .then(() => true)
      .catch(() => false);
    // …and what is stored must still load.
    const stored = await loadRoom(room);
    const reloaded = new Y.Doc();
    let loadError: string | null = null;
    try {
      applyStoredRoom(reloaded, stored);
    } catch (error) {
      loadError = error instanceof Error ? error.message : String(error);
    }
    reloaded.destroy();

    expect({
      senderCloseCode: code,
      legitimateEditPropagated: isPropagated,
      writerCloses: writer.closes.map((close) => close.code),
      storedLogLoads: loadError ?? true,
    }).toEqual({
      senderCloseCode: expect.toBeOneOf([null, 1002, 4413]) as number,
      legitimateEditPropagated: true,
      writerCloses: [],
      storedLogLoads: true,
    });

    // After the room unloads, it loads again for a newcomer.
    writer.destroy();
    reader.destroy();
    raw.socket.ws.close();
    await waitFor(
      () => harness.server.inspect().rooms.every((loaded) => loaded.name !== room),
      "the room to unload",
    );
    const newcomer = await connectClient(harness, room, { cookie });
    expect(newcomer.doc.getXmlFragment("text").toJSON()).toContain("Trotsky");
    newcomer.destroy();
  });
});

/**
 * Client 77's "hello" inside a text in array "x"; then the same clocks re-sent as one longer item
 * under a live root text. Once the room has deleted the first text (its "hello" becomes garbage),
 * Yjs throws applying the second as it is (found by `npm run soak -- --fuzz`).
 */
function overlappingUpdates() {
  const author = new Y.Doc();
  author.clientID = 77;
  const inner = new Y.Text();
  author.getArray("x").insert(0, [inner]);
  inner.insert(0, "hello");
  const forged = new Y.Doc();
  forged.clientID = 77;
  forged.getArray("x").insert(0, ["z"]);
  forged.getText("y").insert(0, "helloworld");
  return { first: Y.encodeStateAsUpdate(author), overlapping: Y.encodeStateAsUpdate(forged) };
}

describe("an update that overlaps what the room holds as garbage", () => {
  it("is applied as the part the room lacks; no member is closed and the room stays loadable", async () => {
    const seminar = await buildSeminar({ ownText: true });
    const room = roomName({ kind: "text", documentId: seminar.documentId as string });
    const { cookie } = await sessionCookie(seminar.instructor);
    const writer = await connectClient(harness, room, { cookie });
    const reader = await connectClient(harness, room, { cookie });
    const { first, overlapping } = overlappingUpdates();

    const raw = await openRaw(harness, room, { cookie });
    if (!("socket" in raw)) throw new Error(`upgrade refused: ${raw.status}`);
    raw.socket.send(updateFrame(first));
    await waitFor(() => reader.doc.getArray("x").length === 1, "the first update to reach the reader");
    await waitFor(() => writer.doc.getArray("x").length === 1, "the first update to reach the writer");
    writer.doc.getArray("x").delete(0, 1);
    await waitFor(() => reader.doc.getArray("x").length === 0, "the deletion to reach the reader");
    raw.socket.send(updateFrame(overlapping));
    // Its new part (clocks 6–10 of client 77) is applied and reaches the others, as garbage.
    await waitFor(
      () => Y.getState(reader.doc.store, 77) === 11,
      "the overlapping update's new part to reach the reader",
    );
    writer.doc.getMap<number>("after").set("n", 1);
    await waitFor(
      () => reader.doc.getMap<number>("after").get("n") === 1,
      "a legitimate edit after the overlapping one to reach the reader",
    );

    const stored = await loadRoom(room);
    const reloaded = new Y.Doc();
    const findings = applyStoredRoom(reloaded, stored);
    expect({
      senderOpen: raw.socket.ws.readyState === raw.socket.ws.OPEN,
      writerCloses: writer.closes.map((close) => close.code),
      readerCloses: reader.closes.map((close) => close.code),
      findings: findings.map((finding) => finding.reason),
      storedText: reloaded.getXmlFragment("text").toJSON().includes("Trotsky"),
    }).toEqual({ senderOpen: true, writerCloses: [], readerCloses: [], findings: [], storedText: true });
    reloaded.destroy();
    raw.socket.ws.close();
    writer.destroy();
    reader.destroy();
  });

  it("stored as it is (rows written before the guard trimmed), still loads: each row is trimmed to what the room lacks", () => {
    const { first, overlapping } = overlappingUpdates();
    const deleter = new Y.Doc();
    Y.applyUpdate(deleter, first);
    const before = Y.encodeStateVector(deleter);
    deleter.getArray("x").delete(0, 1);
    const deletion = Y.encodeStateAsUpdate(deleter, before);
    const good = new Y.Doc();
    good.getMap("m").set("k", 1);
    const doc = new Y.Doc({ gc: true });
    const findings = applyStoredRoom(doc, {
      snapshot: null,
      rows: [
        { id: 1n, data: first },
        { id: 2n, data: deletion },
        { id: 3n, data: overlapping },
        { id: 4n, data: Y.encodeStateAsUpdate(good) },
      ],
    });
    expect(findings).toEqual([]);
    expect(doc.getMap("m").get("k")).toBe(1);
    expect(Y.getState(doc.store, 77)).toBe(11);
    for (const each of [deleter, good, doc]) each.destroy();
  });
});
