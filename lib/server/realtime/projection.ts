/**
 * The seminar room is a projection of Postgres rows (docs/architecture.md §2): these
 * functions write the rows' current state into the room's Y.Doc inside the
 * transaction that changed them (lib/server/realtime/write-server-room.ts).
 * Only what every member may see goes in: a hidden or deleted comment keeps
 * its place but not its words.
 */
import type * as Y from "yjs";
import { encodeRoomEntry } from "@/lib/shared/annotations/room-entries";
import { toRoomEntries } from "@/lib/shared/annotations/thread-summary";
import { ROOT_TYPES, roomName } from "@/lib/shared/rooms";
import type { Tx } from "../db";
import { writeServerRoom } from "./write-server-room";
import {
  readAnnotationRows,
  loadAnnotation,
  presentAnnotation,
  presentCategory,
  presentComment,
  rolesOf,
  setIfChanged,
  type AnnotationRow,
  type Role,
} from "./present-rows";
import { syncViewRooms } from "./view-rooms";

/** Writes one annotation and its first comment with a summary (or their removal, when it is deleted) into the room. */
export async function projectAnnotation(tx: Tx, doc: Y.Doc, annotationId: string, roles?: Map<string, Role>) {
  const row = await loadAnnotation(tx, annotationId);
  const seminarRoles = roles ?? (await rolesOf(tx, row.seminarId as string));
  doc.transact(() => writeAnnotationRow(doc, row, seminarRoles, "lean"));
}

/**
 * How a doc holds a thread: `lean` (the seminar room: the first comment and a summary,
 * docs/adr/0027) or `full` (every comment: what exports and snapshots read).
 */
export type ThreadShape = "lean" | "full";

/** Writes an annotation row already read (with its comments) into the doc; call inside a Y transaction. */
function writeAnnotationRow(doc: Y.Doc, row: AnnotationRow, roles: Map<string, Role>, shape: ThreadShape) {
  const annotations = doc.getMap<unknown>(ROOT_TYPES.annotations);
  const comments = doc.getMap<unknown>(ROOT_TYPES.comments);
  if (row.deletedAt) {
    annotations.delete(row.id);
    for (const comment of row.comments) if (comments.has(comment.id)) comments.delete(comment.id);
    return;
  }
  const annotation = presentAnnotation(row, roles);
  const presented = row.comments.map((comment) => presentComment(row.id, comment, roles));
  const entries =
    shape === "lean" ? toRoomEntries(annotation, presented) : { annotation, comments: presented };
  // Each entry as its JSON text (docs/adr/0032); an older room's object entry is replaced by text.
  setIfChanged(annotations, row.id, encodeRoomEntry(entries.annotation));
  // A room written before threads were lean (or a reply now behind the first) loses the
  // comments it no longer carries: they load with the thread's body.
  const carried = new Set(entries.comments.map((comment) => comment.id));
  for (const comment of row.comments)
    if (!carried.has(comment.id) && comments.has(comment.id)) comments.delete(comment.id);
  for (const comment of entries.comments) setIfChanged(comments, comment.id, encodeRoomEntry(comment));
}

/** Writes the seminar's categories into the room (removing deleted ones). */
export async function projectCategories(tx: Tx, doc: Y.Doc, seminarId: string) {
  const rows = await tx.category.findMany({ where: { seminarId }, orderBy: { position: "asc" } });
  const categories = doc.getMap<unknown>(ROOT_TYPES.categories);
  doc.transact(() => {
    const ids = new Set(rows.map((row) => row.id));
    for (const key of [...categories.keys()]) if (!ids.has(key)) categories.delete(key);
    for (const row of rows) setIfChanged(categories, row.id, presentCategory(row));
  });
}

/**
 * Writes everything of a seminar's reading: categories, annotations, comments; lean for a
 * room's first state, full for the discussion exports and snapshots read.
 */
export async function projectSeminarRoom(
  tx: Tx,
  doc: Y.Doc,
  seminarId: string,
  documentId: string,
  shape: ThreadShape = "lean",
) {
  await projectCategories(tx, doc, seminarId);
  const roles = await rolesOf(tx, seminarId);
  // One read of every annotation with its comments, not one per annotation: a reading with
  // 10,000 threads is seeded within one transaction's time.
  const rows = await readAnnotationRows(tx, seminarId, documentId);
  doc.transact(() => {
    for (const row of rows) writeAnnotationRow(doc, row, roles, shape);
  });
}

/**
 * Runs `write` on the seminar room of a reading in one transaction with the
 * room's update: a room with nothing stored is first filled with the whole projection.
 */
export function writeSeminarRoom<T>(
  seminarId: string,
  documentId: string,
  write: (tx: Tx, doc: Y.Doc) => Promise<T>,
) {
  return writeServerRoom(
    roomName({ kind: "seminar", seminarId, documentId }),
    async (tx, doc) => {
      const result = await write(tx, doc);
      // Students who have not posted first see this reading through their own view room
      // (docs/adr/0019); it changes in the same transaction, after the seminar room's lock.
      await syncViewRooms(tx, seminarId, documentId);
      return result;
    },
    { seed: (tx, doc) => projectSeminarRoom(tx, doc, seminarId, documentId) },
  );
}
