import * as Y from "yjs";
import { db, type Tx } from "../db";
import { projectSeminarRoom } from "./projection";

/**
 * A seminar's discussion of a reading as one scratch `Y.Doc` holding every thread with
 * every comment, projected from the rows in one read: the shape the seminar room had
 * before threads were lean (docs/adr/0027), which snapshots store and exports read.
 * It holds what every member may see, as the room does (hidden comments without their
 * words); the caller destroys it.
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
