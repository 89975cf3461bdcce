/**
 * "Edit a copy for this seminar" (docs/adr/0026): a seminar's reading of a library
 * text (no owner; nobody edits it live) becomes a reading of a copy owned by the
 * instructor who asks, which they edit live. Everything the seminar made on the
 * library text moves with it; other seminars keep the library text.
 *
 * The copy's text room starts from the library text room's stored Yjs state as
 * it is: the same items under the same client ids. Every annotation's anchor is a
 * pair of Yjs relative positions naming those items, so it resolves in the copy
 * exactly as it did in the library text, and nothing is re-anchored (unlike a new
 * version, whose text is new items: replace-document-version.ts).
 */
import type { JSONContent } from "@tiptap/core";
import { yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { AppError } from "@/lib/shared/errors";
import { ROOT_TYPES, roomName } from "@/lib/shared/rooms";
import { getReadingSchema } from "@/lib/shared/schema/reading-schema";
import { db, type Tx } from "../db";
import { createOwnedDocument } from "../documents/create-owned-document";
import { documentPolicy, seminarPolicy, type Actor } from "../policies";
import { getDocumentAccess } from "../policies/load-access";
import { requireSeminar } from "../policies/require";
import { notifyAccessChange } from "../realtime/access-events";
import { buildTextSeed } from "../realtime/seed-text-room";
import { appendUpdate, applyStoredRoom, isEmpty, lockRoom, readRoom } from "../realtime/update-log";
import { requireReading } from "./require-reading";

/** What the copy came to. */
export type ReadingCopy = {
  /** The new document, owned by the instructor, now the seminar's reading. */
  documentId: string;
  /** The library text it copies. */
  copiedFromId: string;
  /** Shared annotations (threads, highlights, guiding questions) moved to the copy. */
  annotations: number;
  /** Discussion snapshots moved to the copy. */
  snapshots: number;
  /** Members whose private notes were copied to the copy's notes rooms. */
  notes: number;
};

/** A room's stored state as one update, read under its lock (the caller holds it). */
async function readStateUnderLock(tx: Tx, room: string): Promise<Uint8Array | null> {
  const stored = await readRoom(room, tx);
  if (isEmpty(stored)) return null;
  const doc = new Y.Doc();
  try {
    // The loader's checks apply: a row set aside when the room loads is not copied either.
    applyStoredRoom(doc, stored);
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

/** Deletes `annotationIds` and `commentIds` from a server-written room (seminar or view), under its lock. */
async function removeFromServerRoom(tx: Tx, room: string, annotationIds: string[], commentIds: string[]) {
  const stored = await readRoom(room, tx);
  if (isEmpty(stored)) return;
  const doc = new Y.Doc();
  try {
    applyStoredRoom(doc, stored);
    const changes: Uint8Array[] = [];
    doc.on("update", (update: Uint8Array) => changes.push(update));
    const annotations = doc.getMap<unknown>(ROOT_TYPES.annotations);
    const comments = doc.getMap<unknown>(ROOT_TYPES.comments);
    doc.transact(() => {
      for (const id of annotationIds) if (annotations.has(id)) annotations.delete(id);
      for (const id of commentIds) if (comments.has(id)) comments.delete(id);
    });
    if (changes.length > 0) await appendUpdate(tx, room, Y.mergeUpdates(changes), "server");
  } finally {
    doc.destroy();
  }
}

/**
 * Replaces the seminar's reading of the library text `documentId` by a copy owned by the
 * actor, in one transaction: the copy and its text room, the seminar's reading (with its
 * rubric and grade overrides), annotations, discussion snapshots and notifications, the
 * members' private notes (copied; the originals stay on the library text). Instructors of
 * the seminar only; a text with an owner is refused (its owner edits it).
 */
export async function createReadingCopy(
  actor: Actor,
  seminarId: string,
  documentId: string,
): Promise<ReadingCopy> {
  const access = await requireSeminar(
    actor,
    seminarId,
    seminarPolicy.assignReadings,
    "Only the seminar's instructors can make a copy of a reading.",
  );
  await requireReading(seminarId, documentId, { id: true });
  const document = await getDocumentAccess(access.actor, documentId);
  if (!document) throw new AppError("not_found", "There is no such text.");
  if (!documentPolicy.copyForSeminar(document, access)) {
    throw new AppError(
      "conflict",
      "This reading is already a text with an owner; only its owner edits it, and it needs no copy.",
    );
  }
  const members = await db.membership.findMany({
    where: { seminarId },
    select: { userId: true, role: true },
  });
  const copyOwnerId = access.actor.userId;

  return db.$transaction(
    async (tx) => {
      // The seminar room's lock first, as writeSeminarRoom takes it; every other room after
      // it. No other writer holds a text, view or notes room's lock while waiting for a
      // seminar room's (view rooms come after their seminar room in syncViewRooms; seeding
      // and compaction hold one room each), so no order among them can wait in a cycle.
      // Holding the seminar room's lock also makes an annotation being written on the
      // library text commit before this reads the rows, or after this moved the reading.
      const seminarRoom = roomName({ kind: "seminar", seminarId, documentId });
      await lockRoom(tx, seminarRoom);
      const reading = await tx.reading.findUnique({
        where: { seminarId_documentId: { seminarId, documentId } },
        select: { id: true },
      });
      // A second click, or another instructor's, found the reading already moved.
      if (!reading)
        throw new AppError("conflict", "This reading was already copied or removed. Reload the page.");

      // The library text as its room holds it now. A room never opened is seeded first, as
      // the collab server would seed it, so library and copy share their items from now on.
      const libraryRoom = roomName({ kind: "text", documentId });
      await lockRoom(tx, libraryRoom);
      let state = await readStateUnderLock(tx, libraryRoom);
      const library = await tx.document.findUniqueOrThrow({
        where: { id: documentId },
        select: { content: true, title: true, byline: true, source: true, date: true },
      });
      if (!state) {
        state = buildTextSeed(library.content);
        await appendUpdate(tx, libraryRoom, state, "seed");
      }
      const content = contentOf(state);

      const copy = await createOwnedDocument(tx, {
        ownerId: copyOwnerId,
        content,
        metadata: {
          title: library.title,
          byline: library.byline,
          source: library.source,
          date: library.date,
        },
        copiedFromId: documentId,
      });
      const copyRoom = roomName({ kind: "text", documentId: copy.id });
      await lockRoom(tx, copyRoom);
      await appendUpdate(tx, copyRoom, state, "copy");

      // Everything keyed by (seminar, document) moves. Grade overrides hang off the reading.
      await tx.reading.update({ where: { id: reading.id }, data: { documentId: copy.id } });
      const moved = await tx.annotation.findMany({
        where: { seminarId, documentId },
        select: { id: true, comments: { select: { id: true } } },
      });
      await tx.annotation.updateMany({ where: { seminarId, documentId }, data: { documentId: copy.id } });
      const snapshots = await tx.discussionSnapshot.updateMany({
        where: { seminarId, documentId },
        data: { documentId: copy.id },
      });
      await tx.notification.updateMany({ where: { seminarId, documentId }, data: { documentId: copy.id } });

      // The library text's seminar and view rooms of this seminar let go of what moved, so a
      // later reading of the library text by this seminar starts without it. The copy's rooms
      // are filled from the rows when first opened (ensureSeminarRoom, ensureViewRoom).
      const annotationIds = moved.map((annotation) => annotation.id);
      const commentIds = moved.flatMap((annotation) => annotation.comments.map((comment) => comment.id));
      await removeFromServerRoom(tx, seminarRoom, annotationIds, commentIds);
      for (const member of members) {
        if (member.role !== "STUDENT") continue;
        const viewRoom = roomName({ kind: "view", seminarId, documentId, userId: member.userId });
        await lockRoom(tx, viewRoom);
        await removeFromServerRoom(tx, viewRoom, annotationIds, commentIds);
      }

      // Private notes are anchored in the same items, so a copy of each member's notes room
      // resolves on the copy as it did on the library text. The originals stay: the library
      // text is public, and its reader may read it elsewhere.
      let notes = 0;
      for (const member of members) {
        const from = roomName({ kind: "notes", documentId, userId: member.userId });
        await lockRoom(tx, from);
        const notesState = await readStateUnderLock(tx, from);
        if (!notesState) continue;
        const to = roomName({ kind: "notes", documentId: copy.id, userId: member.userId });
        await lockRoom(tx, to);
        await appendUpdate(tx, to, notesState, "copy");
        notes++;
      }

      // Open pages of the reading lose the library text's seminar room (it is no longer
      // assigned here): the collab server closes it, and the page reloads into the copy.
      await notifyAccessChange({ type: "readings-changed", seminarId }, tx);
      return {
        documentId: copy.id,
        copiedFromId: documentId,
        annotations: moved.length,
        snapshots: snapshots.count,
        notes,
      };
    },
    { timeout: 60_000 },
  );
}

/** The ProseMirror JSON of a text room's state. */
function contentOf(state: Uint8Array): JSONContent {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    return yXmlFragmentToProseMirrorRootNode(
      doc.getXmlFragment(ROOT_TYPES.text),
      getReadingSchema(),
    ).toJSON() as JSONContent;
  } finally {
    doc.destroy();
  }
}
