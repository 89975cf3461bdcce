/**
 * A writer must not be able to make a room unloadable: an update nesting
 * ~15,000 shared types still decodes on a server, but overflows the stack of
 * every browser that loads the room. The server refuses it (4413, final),
 * stores nothing of it, and the room stays loadable.
 */
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { ROOT_TYPES, roomName } from "../../lib/shared/rooms";
import { buildSeminar } from "../helpers/factories";
import { connectClient, sessionCookie, startCollab, waitFor, type CollabHarness } from "../helpers/collab";
import { closeCode, decodeFrame, openSocket, syncStep2, updateMessage } from "./protocol-kit";

let harness: CollabHarness;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let instructorCookie: string;

beforeAll(async () => {
  harness = await startCollab();
  seminar = await buildSeminar({ ownText: true });
  instructorCookie = (await sessionCookie(seminar.instructor)).cookie;
});
afterAll(async () => {
  await harness?.close();
});

/** Nests `levels` elements, each inside the last, under `parent`, in one transaction. */
function nest(doc: Y.Doc, parent: Y.XmlFragment | Y.XmlElement, levels: number): Y.XmlElement {
  let deepest = parent;
  doc.transact(() => {
    for (let level = 0; level < levels; level++) {
      const child = new Y.XmlElement("blockquote");
      deepest.insert(0, [child]);
      deepest = child;
    }
  });
  return deepest as Y.XmlElement;
}

describe("deep nesting", () => {
  it("closes a writer sending 15,000 nested elements with 4413, stores nothing of it, and the room still loads", async () => {
    const room = roomName({ kind: "text", documentId: seminar.documentId as string });
    const socket = await openSocket(harness, room, instructorCookie);
    await waitFor(() => socket.frames.length > 0, "the room to load and greet");
    expect(decodeFrame(socket.frames[0] as Uint8Array).type).toBe("sync-step1");

    const hostile = new Y.Doc();
    nest(hostile, hostile.getXmlFragment(ROOT_TYPES.text), 15_000);
    socket.send(updateMessage(Y.encodeStateAsUpdate(hostile)));
    expect(await closeCode(socket)).toBe(4413);

    expect(await db.yUpdate.count({ where: { room, origin: seminar.instructor.id } })).toBe(0);
    const fresh = await connectClient(harness, room, { cookie: instructorCookie });
    const text = fresh.doc.getXmlFragment(ROOT_TYPES.text);
    expect(text.toJSON()).toContain("Trotsky, Guest of the Revolution");
    expect(text.toJSON()).not.toContain("<blockquote><blockquote><blockquote><blockquote>");
    // The room still takes ordinary edits.
    const other = await connectClient(harness, room, { cookie: instructorCookie });
    fresh.doc.getText("margin").insert(0, "still writable");
    await waitFor(
      () => other.doc.getText("margin").toJSON() === "still writable",
      "an ordinary edit to reach another client",
    );
    hostile.destroy();
    for (const client of [fresh, other]) client.destroy();
  });

  it("refuses a chain built up over several updates once it passes the depth limit", async () => {
    const room = roomName({
      kind: "notes",
      documentId: seminar.documentId as string,
      userId: seminar.instructor.id,
    });
    const socket = await openSocket(harness, room, instructorCookie);
    await waitFor(() => socket.frames.length > 0, "the room to load and greet");

    const local = new Y.Doc();
    const deepest = nest(local, local.getXmlFragment("chain"), 40);
    socket.send(updateMessage(Y.encodeStateAsUpdate(local)));
    // Handled in order: the second update is checked against a room that holds the first.
    const sent = Y.encodeStateVector(local);
    // 40 more levels under the 40 the room now holds: each update is shallow, the chain is not.
    nest(local, deepest, 40);
    socket.send(updateMessage(Y.encodeStateAsUpdate(local, sent)));
    expect(await closeCode(socket)).toBe(4413);

    const rows = await db.yUpdate.findMany({ where: { room }, select: { data: true } });
    expect(rows).toHaveLength(1);
    const stored = new Y.Doc();
    for (const row of rows) Y.applyUpdate(stored, row.data);
    let depth = 0;
    for (let node = stored.getXmlFragment("chain").get(0); node instanceof Y.XmlElement; node = node.get(0))
      depth++;
    expect(depth).toBe(40);
    local.destroy();
    stored.destroy();
  });

  it("keeps no update whose parents are missing, so a chain sent deepest part first is still checked whole", async () => {
    const room = roomName({
      kind: "notes",
      documentId: seminar.documentId as string,
      userId: seminar.instructor.id,
    });
    const socket = await openSocket(harness, room, instructorCookie);
    await waitFor(() => socket.frames.length > 0, "the room to load and greet");

    const local = new Y.Doc();
    const deepest = nest(local, local.getXmlFragment("reversed"), 40);
    const shallow = Y.encodeStateAsUpdate(local);
    const vector = Y.encodeStateVector(local);
    nest(local, deepest, 40);
    const deep = Y.encodeStateAsUpdate(local, vector);

    // The deep half first: its parents are missing, so it is not applied, and the server asks
    // for the client's state instead of closing (a reconnecting client does this innocently).
    socket.send(updateMessage(deep));
    await waitFor(() => socket.frames.length > 1, "the server's answer");
    expect(decodeFrame(socket.frames[1] as Uint8Array).type).toBe("sync-step1");
    // Then the shallow half (accepted: 40 levels), then both in the step 2 that answers the server.
    socket.send(updateMessage(shallow));
    socket.send(syncStep2(Y.encodeStateAsUpdate(local)));
    expect(await closeCode(socket)).toBe(4413);

    const rows = await db.yUpdate.findMany({ where: { room }, select: { data: true } });
    const stored = new Y.Doc();
    for (const row of rows) Y.applyUpdate(stored, row.data);
    let depth = 0;
    for (
      let node = stored.getXmlFragment("reversed").get(0);
      node instanceof Y.XmlElement;
      node = node.get(0)
    )
      depth++;
    expect(depth).toBe(40);
    local.destroy();
    stored.destroy();
  });
});
