import { AppError } from "@/lib/shared/errors";
import { ZUpdateReadingRequest } from "@/lib/shared/validation/seminars";
import { db } from "../db";
import { seminarPolicy, type Actor } from "../policies";
import { requireSeminar } from "../policies/require";
import { parseInput } from "../parse-input";

/** Changes a reading's due date or instruction. */
export async function updateReading(actor: Actor, seminarId: string, readingId: string, input: unknown) {
  await requireSeminar(
    actor,
    seminarId,
    seminarPolicy.assignReadings,
    "Only instructors can change readings.",
  );
  const request = parseInput(ZUpdateReadingRequest, input);
  const reading = await db.reading.findFirst({ where: { id: readingId, seminarId }, select: { id: true } });
  if (!reading) throw new AppError("not_found", "There is no such reading in this seminar.");
  const { dueAt, instruction } = request;
  return db.reading.update({
    where: { id: readingId },
    data: {
      ...(dueAt !== undefined ? { dueAt: dueAt ? new Date(dueAt) : null, dueSnapshotAt: null } : {}),
      ...(instruction !== undefined ? { instruction } : {}),
    },
    select: { id: true, documentId: true, dueAt: true, instruction: true },
  });
}
