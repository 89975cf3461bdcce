/**
 * Read-only connections (docs/architecture.md §2): the server drops sync step 2 and update
 * messages from them, and keeps their sockets open. A student reads the text
 * room of an essay their instructor owns and edits; an instructor reads the text
 * room of a library text their seminar reads, which nobody edits (docs/adr/0026).
 */
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { ROOT_TYPES, roomName } from "../../lib/shared/rooms";
import { buildSeminar, buildUser } from "../helpers/factories";
import { connectClient, sessionCookie, startCollab, waitFor, type CollabHarness } from "../helpers/collab";
import { storedDoc } from "./protocol-kit";

let harness: CollabHarness;
let room: string;
let student: Awaited<ReturnType<typeof buildUser>>;
let studentCookie: string;
let instructorCookie: string;
let instructorId: string;
let libraryRoom: string;
let libraryInstructor: Awaited<ReturnType<typeof buildUser>>;
let libraryInstructorCookie: string;

beforeAll(async () => {
  harness = await startCollab();
  student = await buildUser({ name: "Student" });
  const seminar = await buildSeminar({ students: [student], ownText: true });
  room = roomName({ kind: "text", documentId: seminar.documentId as string });
  libraryInstructor = await buildUser({ name: "Library Instructor" });
  const librarySeminar = await buildSeminar({ instructor: libraryInstructor });
  libraryRoom = roomName({ kind: "text", documentId: librarySeminar.documentId as string });
  libraryInstructorCookie = (await sessionCookie(libraryInstructor)).cookie;
  studentCookie = (await sessionCookie(student)).cookie;
  instructorCookie = (await sessionCookie(seminar.instructor)).cookie;
  instructorId = seminar.instructor.id;
});
afterAll(async () => {
  await harness?.close();
});

const dropped = () => harness.server.metrics().totals.droppedWrites;
const essayTitle = "Trotsky, Guest of the Revolution";

/** Edits a reader may try: junk in a root type of its own, and deleting the essay's first block. */
function editLocally(doc: Y.Doc, marker: string) {
  doc.getText("scratch").insert(0, marker);
  doc.getXmlFragment(ROOT_TYPES.text).delete(0, 1);
}

describe("read-only connections", () => {
  it("drops updates from a read-only connection: nothing is stored, relayed, or served to a fresh client", async () => {
    const writer = await connectClient(harness, room, { cookie: instructorCookie });
    const before = dropped();
    const reader = await connectClient(harness, room, { cookie: studentCookie });
    expect(reader.doc.getXmlFragment(ROOT_TYPES.text).toJSON()).toContain(essayTitle);

    editLocally(reader.doc, "student junk");
    // The reader's sync step 2 on connect, then its edit: both dropped, in order.
    await waitFor(() => dropped() >= before + 2, "the server to drop the reader's messages");

    expect(await db.yUpdate.count({ where: { room, origin: student.id } })).toBe(0);
    expect(writer.doc.getText("scratch").toJSON()).toBe("");
    expect(writer.doc.getXmlFragment(ROOT_TYPES.text).toJSON()).toContain(essayTitle);

    const fresh = await connectClient(harness, room, { cookie: studentCookie });
    expect(fresh.doc.getText("scratch").toJSON()).toBe("");
    expect(fresh.doc.getXmlFragment(ROOT_TYPES.text).toJSON()).toContain(essayTitle);
    expect(reader.closes).toEqual([]);
    for (const client of [writer, reader, fresh]) client.destroy();
  });

  it("keeps the read-only socket open and sends it the writer's later edits, so it holds the server's state plus only its own junk", async () => {
    const writer = await connectClient(harness, room, { cookie: instructorCookie });
    const before = dropped();
    const reader = await connectClient(harness, room, { cookie: studentCookie });
    editLocally(reader.doc, "more student junk");
    await waitFor(() => dropped() >= before + 2, "the server to drop the reader's messages");

    writer.doc.getText("scratch").insert(0, "instructor line");
    await waitFor(
      () => reader.doc.getText("scratch").toJSON().includes("instructor line"),
      "the reader to receive the writer's edit",
    );
    expect(reader.provider.wsconnected).toBe(true);
    expect(reader.closes).toEqual([]);
    // Broadcast follows commit, so the writer's edit is stored by now.
    expect(await db.yUpdate.count({ where: { room, origin: instructorId } })).toBeGreaterThan(0);

    const server = await storedDoc(room);
    const fresh = await connectClient(harness, room, { cookie: studentCookie });
    // A fresh client holds exactly what the server stored.
    expect(Y.encodeStateVector(fresh.doc)).toEqual(Y.encodeStateVector(server));
    expect(fresh.doc.getText("scratch").toJSON()).toBe(server.getText("scratch").toJSON());
    expect(fresh.doc.getText("scratch").toJSON()).not.toContain("junk");
    expect(fresh.doc.getXmlFragment(ROOT_TYPES.text).toJSON()).toBe(
      server.getXmlFragment(ROOT_TYPES.text).toJSON(),
    );

    // The reader has everything the server has…
    const serverVector = Y.decodeStateVector(Y.encodeStateVector(server));
    const readerVector = Y.decodeStateVector(Y.encodeStateVector(reader.doc));
    for (const [client, clock] of serverVector) expect(readerVector.get(client)).toBe(clock);
    // …and beyond it, only items of its own.
    const extra = Y.decodeUpdate(Y.encodeStateAsUpdate(reader.doc, Y.encodeStateVector(server)));
    expect(extra.structs.length).toBeGreaterThan(0);
    expect(new Set(extra.structs.map((struct) => struct.id.client))).toEqual(new Set([reader.doc.clientID]));

    server.destroy();
    for (const client of [writer, reader, fresh]) client.destroy();
  });

  it("an instructor of a seminar reading a library text is read-only in its text room: the socket stays, nothing is stored", async () => {
    const before = dropped();
    const instructor = await connectClient(harness, libraryRoom, { cookie: libraryInstructorCookie });
    const watcher = await connectClient(harness, libraryRoom, { cookie: studentCookie });
    expect(instructor.doc.getXmlFragment(ROOT_TYPES.text).toJSON()).toContain(essayTitle);

    editLocally(instructor.doc, "instructor edit of the library text");
    await waitFor(() => dropped() >= before + 2, "the server to drop the instructor's messages");

    expect(await db.yUpdate.count({ where: { room: libraryRoom, origin: libraryInstructor.id } })).toBe(0);
    expect(watcher.doc.getText("scratch").toJSON()).toBe("");
    const server = await storedDoc(libraryRoom);
    expect(server.getText("scratch").toJSON()).toBe("");
    expect(server.getXmlFragment(ROOT_TYPES.text).toJSON()).toContain(essayTitle);
    expect(instructor.provider.wsconnected).toBe(true);
    expect(instructor.closes).toEqual([]);
    server.destroy();
    for (const client of [instructor, watcher]) client.destroy();
  });
});
