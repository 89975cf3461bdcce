/**
 * A reader of a server-written room follows it without making Yjs encode what it receives
 * (docs/adr/0032): the provider's sender of local updates is detached from the doc, and the
 * page follows the doc with `onDocChange` instead of its `update` event. With any `update`
 * listener on a doc, Yjs encodes every update the doc applies again for it.
 */
import { randomUUID } from "node:crypto";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stopSendingLocalUpdates } from "../../lib/client/collab/room-provider";
import { writeServerRoom } from "../../lib/server/realtime/write-server-room";
import { ROOT_TYPES, roomName } from "../../lib/shared/rooms";
import { onDocChange } from "../../lib/shared/yjs/on-doc-change";
import { buildSeminar, buildUser } from "../helpers/factories";
import { connectClient, sessionCookie, startCollab, waitFor, type CollabHarness } from "../helpers/collab";

/** What Yjs checks before encoding a transaction for the `update` event. */
function encodesUpdates(doc: Y.Doc): boolean {
  return (doc as unknown as { _observers: Map<string, unknown> })._observers.has("update");
}

describe("onDocChange", () => {
  it("calls back once per transaction that changed the doc, after its observers, and never for an empty one", () => {
    const doc = new Y.Doc();
    const map = doc.getMap<string>("entries");
    const seen: string[] = [];
    map.observe(() => seen.push("observer"));
    const stop = onDocChange(doc, () => seen.push(`changed:${[...map.keys()].join(",")}`));
    expect(encodesUpdates(doc)).toBe(false);

    map.set("a", "1");
    doc.transact(() => {
      map.set("b", "2");
      map.set("c", "3");
    });
    doc.transact(() => {});
    map.delete("a");
    // An update from elsewhere, applied as a provider applies it.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    other.getMap<string>("entries").set("d", "4");
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)), "remote");

    expect(seen).toEqual([
      "observer",
      "changed:a",
      "observer",
      "changed:a,b,c",
      "observer",
      "changed:b,c",
      "observer",
      "changed:b,c,d",
    ]);
    stop();
    map.set("e", "5");
    expect(seen.slice(8)).toEqual(["observer"]);
  });
});

describe("a reader of a server-written room", () => {
  let harness: CollabHarness;
  let seminar: Awaited<ReturnType<typeof buildSeminar>>;
  let cookie: string;

  beforeAll(async () => {
    harness = await startCollab();
    const student = await buildUser({ name: "Reading Student" });
    seminar = await buildSeminar({ students: [student], ownText: true });
    cookie = (await sessionCookie(student)).cookie;
  });
  afterAll(async () => {
    await harness?.close();
  });

  it("no longer has Yjs encode what it receives, and still hears every server write", async () => {
    const room = roomName({
      kind: "seminar",
      seminarId: seminar.id,
      documentId: seminar.documentId as string,
    });
    const client = await connectClient(harness, room, { cookie });
    expect(encodesUpdates(client.doc)).toBe(true);
    stopSendingLocalUpdates(client.provider);
    expect(encodesUpdates(client.doc)).toBe(false);

    let changes = 0;
    const stop = onDocChange(client.doc, () => changes++);
    const id = randomUUID();
    await writeServerRoom(room, (_tx, doc) => {
      doc.getMap(ROOT_TYPES.annotations).set(id, JSON.stringify({ id }));
      return Promise.resolve();
    });
    await waitFor(() => client.doc.getMap(ROOT_TYPES.annotations).has(id), "the reader to receive the write");
    expect(changes).toBe(1);
    expect(encodesUpdates(client.doc)).toBe(false);

    // Reconnecting syncs as before (the sync protocol's replies are not local updates).
    client.provider.disconnect();
    const second = randomUUID();
    await writeServerRoom(room, (_tx, doc) => {
      doc.getMap(ROOT_TYPES.annotations).set(second, JSON.stringify({ id: second }));
      return Promise.resolve();
    });
    client.provider.connect();
    await waitFor(
      () => client.doc.getMap(ROOT_TYPES.annotations).has(second),
      "the reconnected reader to receive what it missed",
    );
    expect(changes).toBe(2);
    stop();
    client.destroy();
  });
});
