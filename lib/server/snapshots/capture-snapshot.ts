import * as Y from "yjs";
import { readSeminarThreads } from "@/lib/shared/annotations/threads";
import { db, type Tx } from "../db";
import { loadDiscussionDoc } from "../realtime/load-discussion-doc";

/**
 * Stores the discussion of a reading as it is now: its Yjs state (every thread with
 * every comment, projected from the rows as the seminar room once held them: the room
 * itself now carries each thread's first comment only, docs/adr/0027) and the threads as
 * the margin reads them. No policy check: `takeSnapshot` and `takeDueSnapshots` decide
 * who may. The projection holds only what every member may see (hidden comments
 * without their words, no private notes), so a snapshot holds nothing more.
 */
export async function captureSnapshot(
  seminarId: string,
  documentId: string,
  details: { name: string; automatic: boolean; authorId: string | null },
  client: Tx | typeof db = db,
): Promise<{ id: string; createdAt: Date }> {
  // Read from the rows in the caller's transaction when there is one (the due-date sweep's).
  const doc = await loadDiscussionDoc(seminarId, documentId, client);
  try {
    const threads = readSeminarThreads(doc);
    return await client.discussionSnapshot.create({
      data: {
        seminarId,
        documentId,
        name: details.name,
        state: new Uint8Array(Y.encodeStateAsUpdate(doc)),
        threads,
        automatic: details.automatic,
        authorId: details.authorId,
      },
      select: { id: true, createdAt: true },
    });
  } finally {
    doc.destroy();
  }
}
