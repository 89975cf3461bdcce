/**
 * Rooms load once (single flight), and nothing is sent before the stored
 * state is applied (docs/architecture.md §4): a client greeted before the load would sync
 * against an empty doc and could be told the room is empty.
 *
 * The loader is held back by locking the snapshot table in another
 * transaction; the loader's read waits on that lock, which Postgres shows in
 * pg_locks.
 */
import pg from "pg";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { writeServerRoom } from "../../lib/server/realtime/write-server-room";
import { ROOT_TYPES, roomName } from "../../lib/shared/rooms";
import { buildSeminar, buildUser } from "../helpers/factories";
import { sessionCookie, startCollab, waitFor, type CollabHarness, type RawSocket } from "../helpers/collab";
import { decodeFrame, openSocket, storedDoc, syncStep1 } from "./protocol-kit";

let harness: CollabHarness;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let studentCookie: string;

beforeAll(async () => {
  harness = await startCollab();
  const student = await buildUser({ name: "Student" });
  seminar = await buildSeminar({ students: [student] });
  studentCookie = (await sessionCookie(student)).cookie;
});
afterAll(async () => {
  await harness?.close();
});

/** Holds `LOCK TABLE "YSnapshot"` in a transaction of its own until released: every room load waits. */
async function blockLoads() {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query("BEGIN");
  await client.query('LOCK TABLE "YSnapshot" IN ACCESS EXCLUSIVE MODE');
  return {
    /** Loads now waiting on the lock. */
    async waiting(): Promise<number> {
      const { rows } = await client.query<{ count: string }>(
        `SELECT count(*) FROM pg_locks
          WHERE relation = '"YSnapshot"'::regclass AND NOT granted AND pid <> pg_backend_pid()`,
      );
      return Number(rows[0]?.count ?? 0);
    },
    async release() {
      await client.query("COMMIT");
      await client.end();
    },
  };
}

async function waitForAsync(condition: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const vectorOf = (stateVector: Uint8Array) => [...Y.decodeStateVector(stateVector).entries()].sort();

describe("load before sync", () => {
  it("sends nothing until the stored state is applied, then greets with the full stored state vector", async () => {
    const room = roomName({
      kind: "seminar",
      seminarId: seminar.id,
      documentId: seminar.documentId as string,
    });
    for (const id of ["first", "second"]) {
      await writeServerRoom(room, (_tx, doc) => {
        doc.getMap(ROOT_TYPES.annotations).set(id, { quote: `stored ${id} annotation` });
        return Promise.resolve();
      });
    }
    const stored = await storedDoc(room);

    const lock = await blockLoads();
    let socket: RawSocket;
    try {
      socket = await openSocket(harness, room, studentCookie);
      socket.send(syncStep1());
      await waitForAsync(async () => (await lock.waiting()) > 0, "the room's loader to wait on the lock");
      await sleep(300);
      expect(socket.frames).toEqual([]);
    } finally {
      await lock.release();
    }

    await waitFor(() => socket.frames.length >= 2, "the greeting and the answer to sync step 1");
    const [greeting, answer] = socket.frames.map(decodeFrame);
    expect(greeting?.type).toBe("sync-step1");
    if (greeting?.type !== "sync-step1") return;
    expect(vectorOf(greeting.stateVector)).toEqual(vectorOf(Y.encodeStateVector(stored)));
    expect(vectorOf(greeting.stateVector).length).toBeGreaterThan(0);

    expect(answer?.type).toBe("sync-step2");
    if (answer?.type !== "sync-step2") return;
    const received = new Y.Doc();
    Y.applyUpdate(received, answer.update);
    expect(received.getMap(ROOT_TYPES.annotations).toJSON()).toEqual({
      first: { quote: "stored first annotation" },
      second: { quote: "stored second annotation" },
    });
    socket.ws.close();
    received.destroy();
    stored.destroy();
  });

  it("loads a room once however many clients connect at the same time", async () => {
    // A text never opened before: its room must be loaded, and seeded, from nothing.
    const document = await db.document.create({
      data: {
        slug: "a-short-text",
        title: "A short text",
        byline: "Someone",
        source: "Nowhere",
        content: {
          type: "doc",
          content: [
            { type: "title", content: [{ type: "text", text: "A short text" }] },
            { type: "paragraph", content: [{ type: "text", text: "Only one paragraph." }] },
          ],
        },
        plainText: "A short text\n\nOnly one paragraph.",
        offsetMap: [],
        version: "1",
        isPublic: true,
      },
    });
    const room = roomName({ kind: "text", documentId: document.id });

    const lock = await blockLoads();
    let sockets: RawSocket[];
    try {
      sockets = await Promise.all(Array.from({ length: 5 }, () => openSocket(harness, room, studentCookie)));
      await waitForAsync(async () => (await lock.waiting()) > 0, "the room's loader to wait on the lock");
      // Give any second loader time to reach the lock too.
      await sleep(300);
      expect(await lock.waiting()).toBe(1);
    } finally {
      await lock.release();
    }

    await waitFor(() => sockets.every((socket) => socket.frames.length >= 1), "every client's greeting");
    const greetings = sockets.map((socket) => decodeFrame(socket.frames[0] as Uint8Array));
    expect(new Set(greetings.map((greeting) => greeting.type))).toEqual(new Set(["sync-step1"]));
    expect(harness.server.inspect().rooms.filter((loaded) => loaded.name === room)).toHaveLength(1);
    expect(await db.yUpdate.count({ where: { room, origin: "seed" } })).toBe(1);
    for (const socket of sockets) socket.ws.close();
  });
});
