/**
 * "Edit a copy for this seminar" (docs/adr/0026): a seminar's reading of a library text
 * becomes a reading of a copy owned by its instructor. The copy's text room starts
 * from the library text room's stored state (the same Yjs items), so every anchor of
 * the seminar resolves on the copy by its relative positions, as it did on the library
 * text; the seminar's annotations, snapshots, notifications and private notes follow
 * it; another seminar keeps the library text; the owner edits the copy live and the
 * library text never hears of it.
 */
import { yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anchorFromRow } from "../../lib/server/annotations/anchor-bytes";
import { db } from "../../lib/server/db";
import { loadRoomDoc } from "../../lib/server/realtime/load-room-doc";
import { createReadingCopy } from "../../lib/server/seminars/create-reading-copy";
import { requireReading } from "../../lib/server/seminars/require-reading";
import { findSnapshots } from "../../lib/server/snapshots/find-snapshots";
import { takeSnapshot } from "../../lib/server/snapshots/take-snapshot";
import { createAnchorResolver } from "../../lib/shared/anchors/anchor";
import { buildTextIndex, posToTextOffset } from "../../lib/shared/anchors/text-index";
import { ROOT_TYPES, roomName } from "../../lib/shared/rooms";
import { getReadingSchema } from "../../lib/shared/schema/reading-schema";
import { connectClient, sessionCookie, startCollab, waitFor, type CollabHarness } from "../helpers/collab";
import { replaceWords, reply, startThread, writePrivateNote } from "../helpers/discussion";
import { buildSeminar, buildUser } from "../helpers/factories";

let harness: CollabHarness;
let student: Awaited<ReturnType<typeof buildUser>>;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let other: Awaited<ReturnType<typeof buildSeminar>>;
let libraryId: string;

const EXOTIC = "the savage, the exotic Mexico";
const HAPPEN = "How did this happen?";
const EDITED = "How, then, did this happen?";
const PRINCIPLES = "Why were these basic principles";
const VISA = "the world became a planet with no visa for León Trotsky";

beforeAll(async () => {
  harness = await startCollab();
  student = await buildUser({ name: "Sol Student" });
  seminar = await buildSeminar({ students: [student] });
  other = await buildSeminar();
  libraryId = seminar.documentId as string;
  expect(other.documentId).toBe(libraryId);
});
afterAll(async () => {
  await harness?.close();
});

/** Each of `ids`' anchors resolved against a text room's stored state: how, and the words it covers. */
async function resolveOn(documentId: string, ids: string[]) {
  const doc = await loadRoomDoc(roomName({ kind: "text", documentId }));
  try {
    const fragment = doc.getXmlFragment(ROOT_TYPES.text);
    const pmDoc = yXmlFragmentToProseMirrorRootNode(fragment, getReadingSchema());
    const { text, runs } = buildTextIndex(pmDoc);
    const resolve = createAnchorResolver({ doc, fragment, pmDoc });
    const rows = await db.annotation.findMany({ where: { id: { in: ids } } });
    return rows.map((row) => {
      const resolution = resolve(anchorFromRow(row));
      if (resolution.status !== "anchored") return { id: row.id, quote: row.quoteExact, method: "orphaned" };
      const from = posToTextOffset(runs, resolution.from) as number;
      const to = posToTextOffset(runs, resolution.to) as number;
      return { id: row.id, quote: text.slice(from, to), method: resolution.method };
    });
  } finally {
    doc.destroy();
  }
}

describe("a seminar copy of a library text", () => {
  it("moves the seminar's discussion onto a copy whose anchors resolve by position, and leaves other seminars on the library text", async () => {
    const instructor = { userId: seminar.instructor.id };
    // An earlier live edit of the library text (before nobody could edit it): the copy starts from it.
    await startThread(student, seminar, { kind: "HIGHLIGHT", phrase: EXOTIC });
    await replaceWords(libraryId, { in: HAPPEN, words: "How did", with: "How, then, did" });
    const threads = [
      await startThread(student, seminar, { kind: "COMMENT", phrase: EDITED, text: "A question to keep." }),
      await startThread(seminar.instructor, seminar, {
        kind: "GUIDING_QUESTION",
        phrase: PRINCIPLES,
        text: "What are they?",
      }),
      await startThread(student, seminar, { kind: "COMMENT", phrase: VISA, text: "No visa anywhere." }),
    ];
    await reply(seminar.instructor, threads[0] as string, "Keep it in mind on Thursday.");
    const allIds = [
      ...(await db.annotation.findMany({ where: { seminarId: seminar.id }, select: { id: true } })).map(
        (a) => a.id,
      ),
    ];
    expect(allIds).toHaveLength(4);
    const otherThread = await startThread(other.instructor, other, {
      kind: "COMMENT",
      phrase: EXOTIC,
      text: "Ours.",
    });
    const noteId = await writePrivateNote(libraryId, student.id, { phrase: VISA, text: "my note" });
    const snapshot = await takeSnapshot(instructor, seminar.id, libraryId, { name: "Before the copy" });
    expect(
      await db.notification.count({ where: { seminarId: seminar.id, documentId: libraryId } }),
    ).toBeGreaterThan(0);

    // A student reading the library text with the seminar: their seminar-room socket will lose it.
    const studentCookie = (await sessionCookie(student)).cookie;
    const oldSeminarRoom = roomName({ kind: "seminar", seminarId: seminar.id, documentId: libraryId });
    const before = await connectClient(harness, oldSeminarRoom, { cookie: studentCookie });
    expect([...before.doc.getMap(ROOT_TYPES.annotations).keys()].sort()).toEqual([...allIds].sort());
    const resolvedBefore = await resolveOn(libraryId, allIds);
    expect(resolvedBefore.every((entry) => entry.method === "relative")).toBe(true);
    const libraryBefore = await loadRoomDoc(roomName({ kind: "text", documentId: libraryId }));
    const libraryState = Y.encodeStateVector(libraryBefore);
    libraryBefore.destroy();

    const copy = await createReadingCopy(instructor, seminar.id, libraryId);
    expect(copy).toMatchObject({ copiedFromId: libraryId, annotations: 4, snapshots: 1, notes: 1 });
    expect(await db.document.findUniqueOrThrow({ where: { id: copy.documentId } })).toMatchObject({
      ownerId: seminar.instructor.id,
      copiedFromId: libraryId,
      isPublic: false,
    });

    // The open seminar-room socket of the old reading is closed: the seminar no longer reads it there.
    await waitFor(() => before.closes.length > 0, "the old seminar room to close");
    expect(before.closes[0]?.code).toBe(4403);
    before.destroy();

    // Every annotation of the seminar is on the copy, resolving by its relative positions to the same words.
    const moved = await db.annotation.findMany({
      where: { id: { in: allIds } },
      select: { documentId: true },
    });
    expect(moved.every((row) => row.documentId === copy.documentId)).toBe(true);
    const resolvedAfter = await resolveOn(copy.documentId, allIds);
    const byId = (entries: typeof resolvedAfter) =>
      Object.fromEntries(entries.map((entry) => [entry.id, entry]));
    expect(byId(resolvedAfter)).toEqual(byId(resolvedBefore));
    expect(resolvedAfter.map((entry) => entry.quote)).toContain(EDITED);

    // The other seminar's thread stays on the library text; its reading too.
    expect(await db.annotation.findUniqueOrThrow({ where: { id: otherThread } })).toMatchObject({
      documentId: libraryId,
    });
    expect((await resolveOn(libraryId, [otherThread]))[0]).toMatchObject({
      quote: EXOTIC,
      method: "relative",
    });
    await requireReading(other.id, libraryId, { id: true });

    // The reading, snapshots and notifications follow; the old address names the copy.
    await requireReading(seminar.id, copy.documentId, { id: true });
    await expect(requireReading(seminar.id, libraryId, { id: true })).rejects.toMatchObject({
      code: "not_found",
      details: { movedTo: { documentId: copy.documentId } },
    });
    expect((await findSnapshots(instructor, seminar.id, copy.documentId)).map((s) => s.id)).toEqual([
      snapshot.id,
    ]);
    expect(await db.notification.count({ where: { seminarId: seminar.id, documentId: libraryId } })).toBe(0);

    // A real client of the copy's text room syncs the library text's state: the same items and clients.
    const copyRoom = roomName({ kind: "text", documentId: copy.documentId });
    const reader = await connectClient(harness, copyRoom, { cookie: studentCookie });
    const library = await connectClient(harness, roomName({ kind: "text", documentId: libraryId }), {
      cookie: studentCookie,
    });
    expect(reader.doc.getXmlFragment(ROOT_TYPES.text).toJSON()).toBe(
      library.doc.getXmlFragment(ROOT_TYPES.text).toJSON(),
    );
    expect(Y.encodeStateVector(reader.doc)).toEqual(libraryState);

    // The seminar room of the copy is filled from the moved rows; the library text's lets go of them.
    const newSeminarRoom = roomName({ kind: "seminar", seminarId: seminar.id, documentId: copy.documentId });
    const seminarClient = await connectClient(harness, newSeminarRoom, { cookie: studentCookie });
    expect([...seminarClient.doc.getMap(ROOT_TYPES.annotations).keys()].sort()).toEqual([...allIds].sort());
    const oldRoom = await loadRoomDoc(oldSeminarRoom);
    expect([...oldRoom.getMap(ROOT_TYPES.annotations).keys()]).toEqual([]);
    oldRoom.destroy();

    // The student's private note is copied to the copy's notes room; the original stays.
    const notesClient = await connectClient(
      harness,
      roomName({ kind: "notes", documentId: copy.documentId, userId: student.id }),
      {
        cookie: studentCookie,
      },
    );
    expect(notesClient.doc.getMap(ROOT_TYPES.annotations).has(noteId)).toBe(true);
    const originalNotes = await loadRoomDoc(
      roomName({ kind: "notes", documentId: libraryId, userId: student.id }),
    );
    expect(originalNotes.getMap(ROOT_TYPES.annotations).has(noteId)).toBe(true);
    originalNotes.destroy();

    // Its owner edits the copy live; the student sees it; the library text does not change.
    const owner = await connectClient(harness, copyRoom, {
      cookie: (await sessionCookie(seminar.instructor)).cookie,
    });
    const firstParagraph = owner.doc
      .getXmlFragment(ROOT_TYPES.text)
      .toArray()
      .find((node): node is Y.XmlElement => node instanceof Y.XmlElement && node.nodeName === "paragraph");
    const run = firstParagraph?.firstChild;
    expect(run).toBeInstanceOf(Y.XmlText);
    (run as Y.XmlText).insert(0, "Edited in the copy. ");
    await waitFor(
      () => reader.doc.getXmlFragment(ROOT_TYPES.text).toJSON().includes("Edited in the copy. "),
      "the student to receive the owner's edit of the copy",
    );
    expect(
      await db.yUpdate.count({ where: { room: copyRoom, origin: seminar.instructor.id } }),
    ).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(library.doc.getXmlFragment(ROOT_TYPES.text).toJSON()).not.toContain("Edited in the copy.");
    const libraryNow = await loadRoomDoc(roomName({ kind: "text", documentId: libraryId }));
    expect(libraryNow.getXmlFragment(ROOT_TYPES.text).toJSON()).not.toContain("Edited in the copy.");
    expect(Y.encodeStateVector(libraryNow)).toEqual(libraryState);
    libraryNow.destroy();

    for (const client of [reader, library, seminarClient, notesClient, owner]) client.destroy();
  });

  it("refuses students, texts with an owner, and a second copy of a reading already copied", async () => {
    const second = await buildSeminar({ students: [student] });
    const documentId = second.documentId as string;
    await expect(createReadingCopy({ userId: student.id }, second.id, documentId)).rejects.toMatchObject({
      code: "forbidden",
    });
    const copy = await createReadingCopy({ userId: second.instructor.id }, second.id, documentId);
    await expect(
      createReadingCopy({ userId: second.instructor.id }, second.id, copy.documentId),
    ).rejects.toMatchObject({
      code: "conflict",
    });
    await expect(
      createReadingCopy({ userId: second.instructor.id }, second.id, documentId),
    ).rejects.toMatchObject({
      code: "not_found",
    });
    expect(await db.reading.count({ where: { seminarId: second.id } })).toBe(1);
  });
});
