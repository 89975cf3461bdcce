/**
 * Client-written rooms (docs/architecture.md §4): every accepted update is appended to the
 * log and committed before anyone else sees it; updates that arrive while a
 * commit is in flight share the next transaction (group commit).
 */
import pg from "pg";
import type * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { roomName } from "../../lib/shared/rooms";
import { buildSeminar } from "../helpers/factories";
import { connectClient, sessionCookie, startCollab, waitFor, type CollabHarness } from "../helpers/collab";
import { storedDoc } from "./protocol-kit";

let harness: CollabHarness;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let cookie: string;

beforeAll(async () => {
  harness = await startCollab();
  seminar = await buildSeminar({ ownText: true });
  cookie = (await sessionCookie(seminar.instructor)).cookie;
});
afterAll(async () => {
  await harness?.close();
});

const CLIENTS = 5;
const EDITS_EACH = 40;

describe("group commit", () => {
  it("commits many concurrent updates from several clients in fewer transactions than updates, and keeps every one", async () => {
    const room = roomName({ kind: "text", documentId: seminar.documentId as string });
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, () => connectClient(harness, room, { cookie })),
    );
    const rowsBefore = await db.yUpdate.count({ where: { room } });
    const commitsBefore = harness.server.metrics().totals.commits;

    // Every edit is a transaction of its own, so a message of its own.
    clients.forEach((client, index) => {
      const edits = client.doc.getMap<number>(`client-${index}`);
      for (let edit = 0; edit < EDITS_EACH; edit++) edits.set(`edit-${edit}`, edit);
    });
    const hasEverything = (doc: Y.Doc) =>
      clients.every((_client, index) => doc.getMap(`client-${index}`).size === EDITS_EACH);
    await waitFor(
      () => clients.every((client) => hasEverything(client.doc)),
      "every client to see every edit",
    );
    await waitFor(() => harness.server.metrics().pendingCommits === 0, "the last commit");

    const rows = (await db.yUpdate.count({ where: { room } })) - rowsBefore;
    const commits = harness.server.metrics().totals.commits - commitsBefore;
    // One row per accepted update, or fewer: a connection's updates that queue up while a
    // commit is in flight are merged into one (server/collab/connection.ts).
    expect(rows).toBeGreaterThanOrEqual(CLIENTS);
    expect(rows).toBeLessThanOrEqual(CLIENTS * EDITS_EACH);
    expect(commits).toBeGreaterThan(0);
    expect(commits).toBeLessThan(CLIENTS * EDITS_EACH);
    expect(commits).toBeLessThanOrEqual(rows);

    // Every update is in the log: what Postgres holds has every edit.
    const stored = await storedDoc(room);
    expect(hasEverything(stored)).toBe(true);
    stored.destroy();
    for (const client of clients) client.destroy();
  });

  it("writes no row for a client that connects with nothing new", async () => {
    const room = roomName({ kind: "text", documentId: seminar.documentId as string });
    const first = await connectClient(harness, room, { cookie });
    const rowsBefore = await db.yUpdate.count({ where: { room } });
    const commitsBefore = harness.server.metrics().totals.commits;
    // Each answers the server's sync step 1 with an empty step 2; the reconnect, with what it has.
    const others = await Promise.all([1, 2, 3].map(() => connectClient(harness, room, { cookie })));
    first.provider.disconnect();
    first.provider.connect();
    await waitFor(() => first.provider.synced, "the reconnect");
    // A round trip through the room after those answers: an edit, seen by everyone.
    others[0]?.doc.getText("after").insert(0, "x");
    await waitFor(
      () => [first, ...others].every((client) => client.doc.getText("after").toJSON() === "x"),
      "an edit after the syncs",
    );
    expect(await db.yUpdate.count({ where: { room } })).toBe(rowsBefore + 1);
    expect(harness.server.metrics().totals.commits).toBe(commitsBefore + 1);
    for (const client of [first, ...others]) client.destroy();
  });

  it("broadcasts an update only after its row is committed", async () => {
    const room = roomName({
      kind: "notes",
      documentId: seminar.documentId as string,
      userId: seminar.instructor.id,
    });
    const writer = await connectClient(harness, room, { cookie });
    const reader = await connectClient(harness, room, { cookie });

    // Inserts into the log wait behind this lock; everything else goes on.
    const blocker = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await blocker.connect();
    const seen: { rows?: Promise<number> } = {};
    reader.doc.getText("note").observe(() => {
      // Counted the moment the reader sees the edit.
      seen.rows ??= db.yUpdate.count({ where: { room } });
    });
    const rowsBefore = await db.yUpdate.count({ where: { room } });
    try {
      await blocker.query("BEGIN");
      await blocker.query('LOCK TABLE "YUpdate" IN EXCLUSIVE MODE');
      writer.doc.getText("note").insert(0, "held until committed");
      await waitFor(() => harness.server.metrics().pendingCommits > 0, "the server to start committing");
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(reader.doc.getText("note").toJSON()).toBe("");
    } finally {
      await blocker.query("COMMIT");
      await blocker.end();
    }

    await waitFor(() => reader.doc.getText("note").toJSON() === "held until committed", "the broadcast");
    expect(await seen.rows).toBe(rowsBefore + 1);
    for (const client of [writer, reader]) client.destroy();
  });
});
