/**
 * Server writes keep the room's document between writes (room-doc-cache.ts), against a real
 * Postgres: whatever happened to the log in between (another writer, a failed write, a
 * compaction, a repair that removed a row), the document a write gets is the stored room.
 * A server write's compaction merges from that document and keeps it.
 */
import { randomBytes } from "node:crypto";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { db } from "../db";
import { roomName } from "@/lib/shared/rooms";
import { appendUpdate, applyStoredRoom, compactRoom, loadRoom, lockRoom } from "./update-log";
import { roomDocReads } from "./room-doc-cache";
import { compactServerRoom, writeServerRoom } from "./write-server-room";

/** A seminar room of its own for each test. */
const newRoom = () =>
  roomName({
    kind: "seminar",
    seminarId: `s${randomBytes(6).toString("hex")}`,
    documentId: `d${randomBytes(6).toString("hex")}`,
  });

/** Writes `key` = `value` into the room's "entries" map as the server does. */
const setEntry = (room: string, key: string, value: number) =>
  writeServerRoom(room, (_tx, doc) => {
    doc.getMap("entries").set(key, value);
    return Promise.resolve();
  });

/** What a write is handed: the room's entries as its document holds them. */
async function entriesSeenByWrite(room: string): Promise<Record<string, unknown>> {
  const { result } = await writeServerRoom(room, (_tx, doc) =>
    Promise.resolve(doc.getMap("entries").toJSON()),
  );
  return result;
}

/** The room as a fresh load reads it from the log. */
async function storedEntries(room: string): Promise<Record<string, unknown>> {
  const doc = new Y.Doc();
  applyStoredRoom(doc, await loadRoom(room));
  return doc.getMap("entries").toJSON();
}

/** Another process's server write: appended under the lock, without this process's cache. */
async function appendElsewhere(room: string, key: string, value: number) {
  const doc = new Y.Doc();
  applyStoredRoom(doc, await loadRoom(room));
  const before = Y.encodeStateVector(doc);
  doc.getMap("entries").set(key, value);
  const update = Y.encodeStateAsUpdate(doc, before);
  await db.$transaction(async (tx) => {
    await lockRoom(tx, room);
    await appendUpdate(tx, room, update, "server");
  });
}

describe("server writes keep the room's document between writes", () => {
  it("a write is handed what another process appended since this process's last write", async () => {
    const room = newRoom();
    await setEntry(room, "first", 1);
    await appendElsewhere(room, "elsewhere", 2);
    await setEntry(room, "second", 3);
    const expected = { first: 1, elsewhere: 2, second: 3 };
    expect(await entriesSeenByWrite(room)).toEqual(expected);
    expect(await storedEntries(room)).toEqual(expected);
  });

  it("a write that fails leaves nothing of itself in the next write's document", async () => {
    const room = newRoom();
    await setEntry(room, "kept", 1);
    await expect(
      writeServerRoom(room, (_tx, doc) => {
        doc.getMap("entries").set("rolled-back", 2);
        return Promise.reject(new Error("the write's own check failed"));
      }),
    ).rejects.toThrow("the write's own check failed");
    expect(await entriesSeenByWrite(room)).toEqual({ kept: 1 });
    expect(await storedEntries(room)).toEqual({ kept: 1 });
  });

  it("after a compaction, and after a row is removed from the log, a write is handed the room as stored", async () => {
    const room = newRoom();
    for (let i = 0; i < 5; i++) await setEntry(room, `k${i}`, i);
    expect(await compactRoom(room, 1)).toBeGreaterThan(0);
    await setEntry(room, "after-compaction", 5);
    expect(await entriesSeenByWrite(room)).toEqual({
      k0: 0,
      k1: 1,
      k2: 2,
      k3: 3,
      k4: 4,
      "after-compaction": 5,
    });

    // A repair takes the newest row out of the log (rooms:check --repair moves a row aside):
    // the document this process kept from that write must not keep it either.
    await setEntry(room, "removed", 6);
    const newest = await db.yUpdate.findFirstOrThrow({ where: { room }, orderBy: { id: "desc" } });
    await db.yUpdate.delete({ where: { id: newest.id } });
    const stored = await storedEntries(room);
    expect(stored).not.toHaveProperty("removed");
    expect(await entriesSeenByWrite(room)).toEqual(stored);
  });

  it("a compaction from the kept document stores the room as the log held it, and the next write reads nothing whole", async () => {
    const room = newRoom();
    for (let i = 0; i < 6; i++) await setEntry(room, `k${i}`, i);
    await appendElsewhere(room, "elsewhere", 6);
    const before = await storedEntries(room);
    const newest = (await db.yUpdate.aggregate({ where: { room }, _max: { id: true } }))._max.id;
    const wholeReads = roomDocReads.whole;
    expect(await compactServerRoom(room, 1)).toBe(7);
    const stored = await loadRoom(room);
    expect(stored.rows).toHaveLength(0);
    expect(stored.snapshot?.throughId).toBe(newest);
    expect(await storedEntries(room)).toEqual(before);
    await setEntry(room, "after", 7);
    expect(await entriesSeenByWrite(room)).toEqual({ ...before, after: 7 });
    // The compaction and both writes used the kept document (the other process's row was
    // fetched alone); the room was never read whole.
    expect(roomDocReads.whole).toBe(wholeReads);
    // Below its threshold a compaction merges nothing and keeps the rows.
    expect(await compactServerRoom(room, 5)).toBe(0);
    expect((await loadRoom(room)).rows).toHaveLength(1);
  });

  it("a room holding a stored value that had to be repaired is compacted from the log, its bytes quarantined", async () => {
    const room = newRoom();
    await setEntry(room, "plain", 1);
    // A value nested deeper than any load accepts, appended by a writer that did not check it.
    let deep: unknown = "bottom";
    for (let i = 0; i < 60; i++) deep = [deep];
    const doc = new Y.Doc();
    applyStoredRoom(doc, await loadRoom(room));
    const stateBefore = Y.encodeStateVector(doc);
    doc.getMap("entries").set("deep", deep);
    const poisoned = await db.$transaction(async (tx) => {
      await lockRoom(tx, room);
      return appendUpdate(tx, room, Y.encodeStateAsUpdate(doc, stateBefore), "server");
    });
    await setEntry(room, "later", 2);
    expect(await compactServerRoom(room, 1)).toBe(3);
    expect(await db.yQuarantine.findMany({ where: { room }, select: { rowId: true, source: true } })).toEqual(
      [{ rowId: poisoned, source: "update" }],
    );
    const stored = await storedEntries(room);
    expect(stored).toMatchObject({ plain: 1, later: 2 });
    expect(await entriesSeenByWrite(room)).toEqual(stored);
  });
});
