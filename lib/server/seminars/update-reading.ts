import { AppError } from "@/lib/shared/errors";
import { ZUpdateReadingRequest } from "@/lib/shared/validation/seminars";
import { db, type Tx } from "../db";
import { notifyAccessChange } from "../realtime/access-events";
import { writeSeminarRoom } from "../realtime/projection";
import { syncViewRooms } from "../realtime/view-rooms";
import { seminarPolicy, type Actor } from "../policies";
import { requireSeminar } from "../policies/require";
import { parseInput } from "../parse-input";

/**
 * Changes a reading's due date, instruction or post-first gate. A gate change
 * re-projects the reading's open view rooms and re-checks its sockets in the
 * same transaction (docs/adr/0019): students it locks out leave the seminar room,
 * students it lets in are told by their view room.
 */
export async function updateReading(actor: Actor, seminarId: string, readingId: string, input: unknown) {
  await requireSeminar(
    actor,
    seminarId,
    seminarPolicy.assignReadings,
    "Only instructors can change readings.",
  );
  const request = parseInput(ZUpdateReadingRequest, input);
  const reading = await db.reading.findFirst({
    where: { id: readingId, seminarId },
    select: { id: true, documentId: true },
  });
  if (!reading) throw new AppError("not_found", "There is no such reading in this seminar.");
  const { dueAt, instruction, postFirstCount } = request;
  const change = (tx: Tx) =>
    tx.reading.update({
      where: { id: readingId },
      data: {
        ...(dueAt !== undefined ? { dueAt: dueAt ? new Date(dueAt) : null, dueSnapshotAt: null } : {}),
        ...(instruction !== undefined ? { instruction } : {}),
        ...(postFirstCount !== undefined ? { postFirstCount } : {}),
      },
      select: { id: true, documentId: true, dueAt: true, instruction: true, postFirstCount: true },
    });
  if (postFirstCount === undefined) return db.$transaction(change);
  const { result } = await writeSeminarRoom(seminarId, reading.documentId, async (tx) => {
    const updated = await change(tx);
    await syncViewRooms(tx, seminarId, reading.documentId, { force: true });
    await notifyAccessChange({ type: "readings-changed", seminarId }, tx);
    return updated;
  });
  return result;
}
