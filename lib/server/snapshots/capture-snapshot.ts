import * as Y from "yjs";
import { readSeminarThreads } from "@/lib/shared/annotations/threads";
import { roomName } from "@/lib/shared/rooms";
import { db, type Tx } from "../db";
import { ensureSeminarRoom } from "../realtime/ensure-seminar-room";
import { loadRoomDoc } from "../realtime/load-room-doc";

/**
 * Stores the seminar room of a reading as it is now: its Yjs state (for
 * exports and any later reading of it) and the threads as the margin reads
 * them. No policy check: `takeSnapshot` and `takeDueSnapshots` decide who may.
 * The seminar room holds only what every member may see (hidden comments
 * without their words, no private notes), so a snapshot holds nothing more.
 */
export async function captureSnapshot(
  seminarId: string,
  documentId: string,
  details: { name: string; automatic: boolean; authorId: string | null },
  client: Tx | typeof db = db,
): Promise<{ id: string; createdAt: Date }> {
  // A reading nobody has annotated yet has no room stored: fill it from the rows first.
  await ensureSeminarRoom(seminarId, documentId);
  const doc = await loadRoomDoc(roomName({ kind: "seminar", seminarId, documentId }));
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
