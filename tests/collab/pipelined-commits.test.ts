/**
 * The commit path (docs/adr/0016-commit-path.md): one statement per commit, several commits in
 * flight at once. Concurrent writers of one room all land, every member sees the room's
 * changes in one same order, and a commit that fails closes only its own writer.
 */
import pg from "pg";
import type * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { roomName } from "../../lib/shared/rooms";
import { CloseCode } from "../../lib/shared/close-codes";
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

const WRITERS = 4;
const EDITS_EACH = 30;

/** Records the keys of `map` in the order this doc first saw them change. */
function recordOrder(doc: Y.Doc) {
  const order: string[] = [];
  doc.getMap("pipeline").observe((event) => {
    for (const key of event.keysChanged as Set<string>) order.push(key);
  });
  return order;
}

describe("pipelined commits", () => {
  it("lands every update of several concurrent writers of one room, and every member sees them in the same order", async () => {
    const room = roomName({ kind: "text", documentId: seminar.documentId as string });
    const writers = await Promise.all(
      Array.from({ length: WRITERS }, () => connectClient(harness, room, { cookie })),
    );
    const watchers = await Promise.all([1, 2].map(() => connectClient(harness, room, { cookie })));
    const orders = watchers.map((watcher) => recordOrder(watcher.doc));
    const total = WRITERS * EDITS_EACH;

    // Every writer edits at once, each edit a message of its own, with a pause now and then so
    // that commits overlap instead of all merging into one.
    await Promise.all(
      writers.map(async (writer, index) => {
        const map = writer.doc.getMap<number>("pipeline");
        for (let edit = 0; edit < EDITS_EACH; edit++) {
          map.set(`w${index}-e${edit}`, edit);
          if (edit % 3 === 2) await new Promise((resolve) => setTimeout(resolve, 1));
        }
      }),
    );
    await waitFor(
      () => orders.every((order) => new Set(order).size === total),
      "both watchers to see every edit",
      30_000,
    );
    // The watchers never write: each saw the room's broadcasts, in the order the room applied them.
    expect(orders[1]).toEqual(orders[0]);
    // Each writer's socket is its own stream: under load a writer may still be receiving the
    // last broadcasts when both watchers have them all (a writer once held 96 of 120 here).
    const heldByWriters = () => writers.map((writer) => writer.doc.getMap("pipeline").size);
    await waitFor(
      () => heldByWriters().every((size) => size === total),
      "every writer to see every edit",
      30_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message} The writers hold ${heldByWriters().join(", ")} of ${total}.`);
    });
    await waitFor(() => harness.server.metrics().pendingCommits === 0, "the last commit");
    expect(harness.server.metrics().peakCommitsInFlight).toBeGreaterThan(1);

    // Broadcast only after commit: everything anyone saw is stored.
    const stored = await storedDoc(room);
    expect(stored.getMap("pipeline").size).toBe(total);
    stored.destroy();
    for (const client of [...writers, ...watchers]) client.destroy();
  });

  it("closes only the writer whose commit failed; the others' updates land", async () => {
    const room = roomName({ kind: "text", documentId: seminar.documentId as string });
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    // A trigger that refuses any row carrying the marker: a failure of that writer's commit only.
    await admin.query(`
      CREATE OR REPLACE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF position(convert_to('poison-commit', 'UTF8') in NEW.data) > 0 THEN
          RAISE EXCEPTION 'refused by the test';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_poison BEFORE INSERT ON "YUpdate" FOR EACH ROW EXECUTE FUNCTION refuse_poison();`);
    const blocker = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await blocker.connect();
    try {
      const fillers = await Promise.all([1, 2, 3, 4].map(() => connectClient(harness, room, { cookie })));
      const good = await Promise.all([1, 2].map(() => connectClient(harness, room, { cookie })));
      const bad = await connectClient(harness, room, { cookie });
      const rowsBefore = await db.yUpdate.count({ where: { room } });
      // Inserts wait behind this lock: the fillers' four commits take every slot, so the next
      // updates queue up and share one statement, which the poisoned update makes fail.
      await blocker.query("BEGIN");
      await blocker.query('LOCK TABLE "YUpdate" IN EXCLUSIVE MODE');
      fillers.forEach((client, index) => client.doc.getMap("filler").set(`f${index}`, index));
      await waitFor(() => harness.server.metrics().pendingCommits === 4, "four commits in flight");
      bad.doc.getMap("poison").set("k", "poison-commit");
      good.forEach((client, index) => client.doc.getMap("fine").set(`g${index}`, index));
      await waitFor(() => harness.server.metrics().pendingCommits === 7, "three updates queued behind them");
      await blocker.query("COMMIT");

      await waitFor(() => bad.closes.length > 0, "the poisoned writer to be closed");
      expect(bad.closes[0]?.code).toBe(CloseCode.INTERNAL_ERROR);
      await waitFor(
        () => good.every((client) => client.doc.getMap("fine").size === good.length),
        "the other writers to see each other's edits",
      );
      for (const client of [...good, ...fillers]) {
        expect(client.closes).toEqual([]);
        expect(client.doc.getMap("poison").size).toBe(0);
      }
      const stored = await storedDoc(room);
      expect(stored.getMap("fine").size).toBe(good.length);
      expect(stored.getMap("filler").size).toBe(fillers.length);
      expect(stored.getMap("poison").size).toBe(0);
      stored.destroy();
      expect(await db.yUpdate.count({ where: { room } })).toBe(rowsBefore + fillers.length + good.length);
      bad.destroy();
      for (const client of [...good, ...fillers]) client.destroy();
    } finally {
      await blocker.query("ROLLBACK").catch(() => undefined);
      await blocker.end();
      await admin.query(
        `DROP TRIGGER IF EXISTS refuse_poison ON "YUpdate"; DROP FUNCTION IF EXISTS refuse_poison();`,
      );
      await admin.end();
    }
  });
});
