/**
 * Server-written rooms (docs/architecture.md §4): one Postgres transaction writes the
 * domain rows and the Yjs update of the seminar room; every collab process
 * holding the room (here two, on one database, sharing no memory) hears the
 * NOTIFY, reads the row and delivers it to its clients — as it does a
 * client's edit committed by the other process.
 */
import { randomUUID } from "node:crypto";
import type * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { writeServerRoom } from "../../lib/server/realtime/write-server-room";
import { ROOT_TYPES, roomName } from "../../lib/shared/rooms";
import { buildSeminar, buildUser } from "../helpers/factories";
import { connectClient, sessionCookie, startCollab, waitFor, type CollabHarness } from "../helpers/collab";

let first: CollabHarness;
let second: CollabHarness;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let student: Awaited<ReturnType<typeof buildUser>>;
let room: string;
let cookie: string;

beforeAll(async () => {
  [first, second] = await Promise.all([startCollab(), startCollab()]);
  student = await buildUser({ name: "Student" });
  seminar = await buildSeminar({ students: [student], ownText: true });
  room = roomName({ kind: "seminar", seminarId: seminar.id, documentId: seminar.documentId as string });
  cookie = (await sessionCookie(student)).cookie;
});
afterAll(async () => {
  await Promise.all([first?.close(), second?.close()]);
});

/** Writes an annotation row and its projection into the seminar room, in one transaction. */
async function annotate(quote: string) {
  const id = randomUUID();
  const write = await writeServerRoom(room, async (tx, doc) => {
    await tx.annotation.create({
      data: {
        id,
        documentId: seminar.documentId as string,
        seminarId: seminar.id,
        authorId: student.id,
        kind: "HIGHLIGHT",
        anchorStart: new Uint8Array([1]),
        anchorEnd: new Uint8Array([2]),
        quoteExact: quote,
        quotePrefix: "",
        quoteSuffix: "",
        positionStart: 0,
        positionEnd: quote.length,
      },
    });
    doc.getMap(ROOT_TYPES.annotations).set(id, { quote, authorId: student.id });
  });
  return { id, write };
}

const quoteOf = (doc: Y.Doc, id: string) =>
  (doc.getMap(ROOT_TYPES.annotations).get(id) as { quote: string } | undefined)?.quote;

describe("server-written rooms", () => {
  it("writes the domain row and exactly one log row, and every collab process delivers the change to its clients", async () => {
    const onFirst = await connectClient(first, room, { cookie });
    const onSecond = await connectClient(second, room, { cookie });

    const logRows = () =>
      db.yUpdate.findMany({ where: { room }, select: { id: true, origin: true }, orderBy: { id: "asc" } });
    // Whatever loading the room stored (a projection of the seminar's rows, if it was empty).
    const before = await logRows();
    const { id, write } = await annotate("a guest of the revolution");
    expect(write.updateId).not.toBeNull();

    expect(await db.annotation.count({ where: { id } })).toBe(1);
    expect(await logRows()).toEqual([...before, { id: write.updateId, origin: "server" }]);
    await waitFor(
      () => quoteOf(onFirst.doc, id) === "a guest of the revolution",
      "the first process's client to receive the annotation",
    );
    await waitFor(
      () => quoteOf(onSecond.doc, id) === "a guest of the revolution",
      "the second process's client to receive the annotation",
    );

    // A client arriving later, on either process, loads it from the log.
    const late = await connectClient(second, room, { cookie });
    expect(quoteOf(late.doc, id)).toBe("a guest of the revolution");
    for (const client of [onFirst, onSecond, late]) client.destroy();
  });

  it("delivers a client's edit made on one process to the clients of the other", async () => {
    const textRoom = roomName({ kind: "text", documentId: seminar.documentId as string });
    const instructorCookie = (await sessionCookie(seminar.instructor)).cookie;
    const writer = await connectClient(first, textRoom, { cookie: instructorCookie });
    const reader = await connectClient(second, textRoom, { cookie });
    writer.doc.getText("margin").insert(0, "across processes");
    await waitFor(
      () => reader.doc.getText("margin").toJSON() === "across processes",
      "the other process's client to receive the edit",
    );
    for (const client of [writer, reader]) client.destroy();
  });

  it("appends no log row when the write changes nothing in the room", async () => {
    const rowsBefore = await db.yUpdate.count({ where: { room } });
    const write = await writeServerRoom(room, async (tx) => tx.annotation.count());
    expect(write.updateId).toBeNull();
    expect(await db.yUpdate.count({ where: { room } })).toBe(rowsBefore);
  });
});
