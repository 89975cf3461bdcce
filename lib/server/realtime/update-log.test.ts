/**
 * The update log's compaction (docs/architecture.md §4), against a real Postgres: it merges
 * the snapshot and the log rows, deletes exactly the rows it merged, and a
 * room loads the same before and after.
 */
import pg from "pg";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { db } from "../db";
import { roomName } from "@/lib/shared/rooms";
import { editBeforeUnknownText } from "@/lib/shared/yjs/update-test-kit";
import { appendUpdate, applyStoredRoom, compactRoom, loadRoom } from "./update-log";

let rooms = 0;
/** A room name of its own for each test. */
const newRoom = () =>
  roomName({ kind: "notes", documentId: `doc${++rooms}aaaaaaaa`, userId: "useraaaaaaaa" });

/** A client whose every edit becomes one update, as a websocket client sends them. */
function editor() {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on("update", (update: Uint8Array) => updates.push(update));
  return {
    doc,
    /** Runs `edit` and returns the update it produced. */
    edit(edit: (text: Y.Text) => void): Uint8Array {
      edit(doc.getText("note"));
      return updates.at(-1) as Uint8Array;
    },
  };
}

const append = (room: string, update: Uint8Array) =>
  db.$transaction((tx) => appendUpdate(tx, room, update, "test"));

/** What a loader sees: the text and the state vector of the stored room. */
async function load(room: string) {
  const doc = new Y.Doc();
  applyStoredRoom(doc, await loadRoom(room));
  const loaded = {
    text: doc.getText("note").toJSON(),
    vector: [...Y.decodeStateVector(Y.encodeStateVector(doc))],
  };
  doc.destroy();
  return loaded;
}

const rowIds = async (room: string) =>
  (await db.yUpdate.findMany({ where: { room }, select: { id: true }, orderBy: { id: "asc" } })).map(
    (row) => row.id,
  );

describe("compactRoom", () => {
  it("merges the log into a snapshot, deletes exactly the rows it merged, and merges snapshot and rows next time", async () => {
    const room = newRoom();
    const neighbour = newRoom();
    const client = editor();
    for (const word of ["close ", "reading ", "together"])
      await append(
        room,
        client.edit((text) => text.insert(text.length, word)),
      );
    await append(
      neighbour,
      editor().edit((text) => text.insert(0, "someone else's room")),
    );
    const merged = await rowIds(room);

    expect(await compactRoom(room)).toBe(3);
    expect(await rowIds(room)).toEqual([]);
    expect(await rowIds(neighbour)).toHaveLength(1);
    const snapshot = await db.ySnapshot.findUniqueOrThrow({ where: { room } });
    expect(snapshot.throughId).toBe(merged.at(-1));
    expect((await load(room)).text).toBe("close reading together");

    // Rows appended after a compaction are kept, and merged with the snapshot by the next one.
    await append(
      room,
      client.edit((text) => text.delete(0, "close ".length)),
    );
    await append(
      room,
      client.edit((text) => text.insert(text.length, ", live")),
    );
    expect(await rowIds(room)).toHaveLength(2);
    expect((await load(room)).text).toBe("reading together, live");
    expect(await compactRoom(room)).toBe(2);
    expect(await rowIds(room)).toEqual([]);
    expect((await load(room)).text).toBe("reading together, live");
  });

  it("keeps a row committed late, with a smaller id than the snapshot's throughId", async () => {
    const room = newRoom();
    const early = editor();
    const late = editor();
    // A writer takes an id, then is slow to commit…
    const slow = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await slow.connect();
    try {
      await slow.query("BEGIN");
      const { rows } = await slow.query<{ id: string }>(
        `INSERT INTO "YUpdate" ("room", "data", "origin") VALUES ($1, $2, 'slow') RETURNING "id"`,
        [room, Buffer.from(late.edit((text) => text.insert(0, "late")))],
      );
      // …while a later id commits and compaction merges what it can see.
      const laterId = await append(
        room,
        early.edit((text) => text.insert(0, "early")),
      );
      expect(BigInt(rows[0]?.id as string)).toBeLessThan(laterId);
      expect(await compactRoom(room)).toBe(1);
      await slow.query("COMMIT");
    } finally {
      await slow.end();
    }

    const snapshot = await db.ySnapshot.findUniqueOrThrow({ where: { room } });
    const remaining = await rowIds(room);
    expect(remaining).toHaveLength(1);
    expect(remaining[0]).toBeLessThan(snapshot.throughId);
    const { text } = await load(room);
    expect(text).toContain("early");
    expect(text).toContain("late");
  });

  it("keeps a row committed while compaction runs, after it read the log and before it deletes", async () => {
    const room = newRoom();
    const client = editor();
    await append(
      room,
      client.edit((text) => text.insert(0, "first")),
    );
    await compactRoom(room);
    await append(
      room,
      client.edit((text) => text.insert(text.length, " second")),
    );

    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    let compaction: Promise<number> | null = null;
    try {
      // Holding the snapshot row stops compaction once it has read the log, before it writes.
      await other.query("BEGIN");
      await other.query(`SELECT 1 FROM "YSnapshot" WHERE "room" = $1 FOR UPDATE`, [room]);
      compaction = compactRoom(room);
      const deadline = Date.now() + 10_000;
      for (;;) {
        const { rows } = await other.query<{ count: string }>(
          `SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
        );
        if (Number(rows[0]?.count) > 0) break;
        if (Date.now() > deadline) throw new Error("compaction never reached the snapshot row");
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      // A row committed now is not among those compaction read.
      await other.query(`INSERT INTO "YUpdate" ("room", "data", "origin") VALUES ($1, $2, 'late')`, [
        room,
        Buffer.from(editor().edit((text) => text.insert(0, "third "))),
      ]);
      await other.query("COMMIT");
    } finally {
      await other.end();
    }

    expect(await compaction).toBe(1);
    expect(await rowIds(room)).toHaveLength(1);
    const { text } = await load(room);
    expect(text).toContain("first second");
    expect(text).toContain("third");
  });

  it("loads the same document after compaction as before", async () => {
    const room = newRoom();
    const clients = [editor(), editor(), editor()];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 60; round++) {
      const client = clients[round % clients.length] as ReturnType<typeof editor>;
      // Each client first catches up with the others, as over a websocket.
      for (const other of clients) Y.applyUpdate(client.doc, Y.encodeStateAsUpdate(other.doc));
      const update = client.edit((text) => {
        if (text.length > 0 && next() < 0.4) text.delete(Math.floor(next() * text.length), 1);
        else text.insert(Math.floor(next() * (text.length + 1)), `w${round} `);
      });
      await append(room, update);
    }
    const before = await load(room);

    expect(await compactRoom(room)).toBe(60);
    expect(await load(room)).toEqual(before);
    expect(before.text.length).toBeGreaterThan(0);
  });

  it("leaves the log alone when it holds fewer rows than asked for", async () => {
    const room = newRoom();
    const client = editor();
    await append(
      room,
      client.edit((text) => text.insert(0, "one")),
    );
    await append(
      room,
      client.edit((text) => text.insert(3, " two")),
    );
    expect(await compactRoom(room, 3)).toBe(0);
    expect(await rowIds(room)).toHaveLength(2);
    expect(await db.ySnapshot.findUnique({ where: { room } })).toBeNull();
  });
});

describe("applyStoredRoom", () => {
  it("sets aside a stored row that refers to content nobody has, so nothing waits in the loaded room", () => {
    // Stored before the guard checked right origins (origin known, right origin not).
    const { room, update: forged } = editBeforeUnknownText("note");
    const later = editor();
    Y.applyUpdate(later.doc, Y.encodeStateAsUpdate(room));
    const laterEdit = later.edit((text) => text.insert(5, "!"));

    const loaded = new Y.Doc();
    const findings = applyStoredRoom(loaded, {
      snapshot: null,
      rows: [
        { id: 1n, data: Y.encodeStateAsUpdate(room) },
        { id: 2n, data: forged },
        { id: 3n, data: laterEdit },
      ],
    });
    expect(findings).toMatchObject([{ source: "update", rowId: 2n, replacement: null }]);
    expect(loaded.getText("note").toJSON()).toBe("hello!");
    const store = loaded.store as unknown as { pendingStructs: unknown; pendingDs: unknown };
    expect([store.pendingStructs, store.pendingDs]).toEqual([null, null]);
  });
});
