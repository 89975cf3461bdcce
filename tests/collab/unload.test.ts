/**
 * Idle rooms unload (docs/architecture.md §4; CONTRIBUTING.md, "Resources have an owner"): once the
 * last client has left and nothing is pending, the room's Y.Doc and
 * Awareness are destroyed and no timer of the room survives — the
 * Awareness's own check interval included.
 */
import pg from "pg";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { roomName } from "../../lib/shared/rooms";
import { buildSeminar } from "../helpers/factories";
import { sessionCookie, startCollab, waitFor, type CollabHarness } from "../helpers/collab";
import { awarenessMessage, openSocket, updateMessage } from "./protocol-kit";

let harness: CollabHarness;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let cookie: string;

beforeAll(async () => {
  harness = await startCollab({ idleUnloadMs: 100 });
  seminar = await buildSeminar();
  cookie = (await sessionCookie(seminar.instructor)).cookie;
});
afterAll(async () => {
  await harness?.close();
});

/** Active (ref'd) timers and intervals of this process. */
const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;

const loadedRooms = () => harness.server.inspect().rooms.map((room) => room.name);

/** Loads `room` with one raw socket that announces presence, then leaves; resolves once the room unloaded. */
async function visit(room: string, whileLoaded: () => void = () => {}) {
  const socket = await openSocket(harness, room, cookie);
  socket.send(awarenessMessage([{ clientId: 9001, clock: 1, state: { cursor: 1 } }]));
  await waitFor(() => socket.frames.length >= 2, "the greeting and the presence");
  whileLoaded();
  socket.ws.close();
  await socket.closed;
  await waitFor(() => !loadedRooms().includes(room), `${room} to unload`);
}

describe("unloading idle rooms", () => {
  it("unloads a room after its last client leaves and leaves no timer behind", async () => {
    const documentId = seminar.documentId as string;
    // Warm up the database pools (their idle timers are theirs, not the room's) on a room of the same kind.
    const other = await buildSeminar({ instructor: seminar.instructor });
    await visit(roomName({ kind: "seminar", seminarId: other.id, documentId }));
    const before = timers();

    const room = roomName({ kind: "seminar", seminarId: seminar.id, documentId });
    let whileLoaded = 0;
    await visit(room, () => {
      whileLoaded = timers();
      expect(loadedRooms()).toEqual([room]);
    });
    // The room held timers of its own (at least the Awareness check interval)…
    expect(whileLoaded).toBeGreaterThan(before);
    // …and none is left.
    expect(harness.server.inspect().rooms).toEqual([]);
    await waitFor(() => timers() <= before, `timers to return to ${before} (now ${timers()})`, 3000);
    expect(harness.server.inspect()).toMatchObject({ rooms: [], connections: 0 });
  });

  it("keeps a room loaded while an update of a client that left is still being committed", async () => {
    const documentId = seminar.documentId as string;
    const room = roomName({ kind: "notes", documentId, userId: seminar.instructor.id });
    const socket = await openSocket(harness, room, cookie);
    await waitFor(() => socket.frames.length >= 1, "the greeting");

    // Inserts into the log wait behind this lock; reads do not.
    const blocker = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await blocker.connect();
    try {
      await blocker.query("BEGIN");
      await blocker.query('LOCK TABLE "YUpdate" IN EXCLUSIVE MODE');
      const doc = new Y.Doc();
      doc.getText("note").insert(0, "saved as I left");
      socket.send(updateMessage(Y.encodeStateAsUpdate(doc)));
      doc.destroy();
      socket.ws.close();
      await socket.closed;
      await waitFor(() => harness.server.inspect().connections === 0, "the server to see the client leave");
      // Several idle periods pass; the room waits for its commit.
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(harness.server.inspect().rooms).toEqual([
        expect.objectContaining({ name: room, pendingWrites: 1 }),
      ]);
    } finally {
      await blocker.query("COMMIT");
      await blocker.end();
    }

    await waitFor(() => !loadedRooms().includes(room), "the room to unload once the commit is done");
    const rows = await db.yUpdate.findMany({ where: { room }, select: { data: true } });
    const stored = new Y.Doc();
    for (const row of rows) Y.applyUpdate(stored, row.data);
    expect(stored.getText("note").toJSON()).toBe("saved as I left");
    stored.destroy();
  });
});
