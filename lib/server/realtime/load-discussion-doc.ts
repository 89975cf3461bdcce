import * as Y from "yjs";
import type { ProjectedCategory } from "@/lib/shared/annotations/types";
import { threadsFromPresented, type Thread } from "@/lib/shared/annotations/threads";
import { db, type Tx } from "../db";
import { readInOneSnapshot } from "../read-in-one-snapshot";
import {
  assembleAnnotationRows,
  presentAnnotation,
  presentCategory,
  presentComment,
  readAnnotationColumns,
  readCommentColumns,
  readReactionColumns,
  rolesOf,
} from "./present-rows";
import { projectSeminarRoom } from "./projection";

/**
 * A seminar's discussion of a reading as one scratch `Y.Doc` holding every thread with
 * every comment, projected from the rows in one read: the shape the seminar room had
 * before threads were lean (docs/adr/0027), which snapshots store. It holds what every
 * member may see, as the room does (hidden comments without their words); the caller
 * destroys it.
 */
export async function loadDiscussionDoc(
  seminarId: string,
  documentId: string,
  client: Tx | typeof db = db,
): Promise<Y.Doc> {
  const doc = new Y.Doc();
  try {
    await projectSeminarRoom(client, doc, seminarId, documentId, "full");
    return doc;
  } catch (error) {
    doc.destroy();
    throw error;
  }
}

/**
 * The same discussion as {@link loadDiscussionDoc} holds, read as threads without a
 * `Y.Doc` in between: the rows are presented as the room would hold them and made into
 * threads as the room's entries are (`threadsFromPresented`, the same conversion without
 * checking what was just presented). Exports read it this way: at 10,000 threads writing
 * every entry into a document only to read it back took ~0.3 s of an export's ~1.3 s.
 * Equal to reading the full room: lib/server/realtime/present-rows.test.ts.
 */
export async function loadDiscussionThreads(
  seminarId: string,
  documentId: string,
): Promise<{ categories: ProjectedCategory[]; threads: Thread[] }> {
  // One consistent read (REPEATABLE READ), as the room's projection is one transaction; its
  // three large queries side by side (comments took 0.3–0.5 s of ~0.65 s at 10,000 threads).
  const [[categoryRows, roles, annotations], comments, reactions] = await readInOneSnapshot([
    async (tx: Tx) =>
      [
        await tx.category.findMany({ where: { seminarId }, orderBy: { position: "asc" } }),
        await rolesOf(tx, seminarId),
        await readAnnotationColumns(tx, seminarId, documentId),
      ] as const,
    (tx: Tx) => readCommentColumns(tx, seminarId, documentId),
    (tx: Tx) => readReactionColumns(tx, seminarId, documentId),
  ]);
  const rows = assembleAnnotationRows(annotations, comments, reactions);
  // Each row is presented as it is made into a thread, so that what is presented is garbage
  // at once instead of a third copy of the discussion held to the end (survivors are what
  // the collector pays for: ~0.3 s of an export's ~1 s at 10,000 threads went to scavenges).
  function* presentedAnnotations() {
    for (const row of rows) yield presentAnnotation(row, roles);
  }
  function* presentedComments() {
    for (const row of rows) for (const comment of row.comments) yield presentComment(row.id, comment, roles);
  }
  return {
    categories: categoryRows.map(presentCategory),
    threads: threadsFromPresented(presentedAnnotations(), presentedComments()),
  };
}
