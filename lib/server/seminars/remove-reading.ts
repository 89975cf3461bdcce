import { AppError } from "@/lib/shared/errors";
import { db } from "../db";
import { seminarPolicy, type Actor } from "../policies";
import { requireSeminar } from "../policies/require";
import { notifyAccessChange } from "../realtime/access-events";

/** Removes a reading from the seminar. Its annotations stay in the database (re-assigning brings them back). */
export async function removeReading(actor: Actor, seminarId: string, readingId: string) {
  await requireSeminar(
    actor,
    seminarId,
    seminarPolicy.assignReadings,
    "Only instructors can remove readings.",
  );
  await db.$transaction(async (tx) => {
    const { count } = await tx.reading.deleteMany({ where: { id: readingId, seminarId } });
    if (count === 0) throw new AppError("not_found", "There is no such reading in this seminar.");
    await notifyAccessChange({ type: "readings-changed", seminarId }, tx);
  });
}
