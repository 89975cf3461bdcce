import { db } from "../db";
import { createNotifications } from "./create-notifications";

/** How long before its due date a reading's reminder goes out. */
export const DUE_REMINDER_LEAD_MS = 24 * 60 * 60 * 1000;

/**
 * Reminds the students of every seminar whose reading is due within
 * {@link DUE_REMINDER_LEAD_MS} of `now` (and not yet past), once per reading.
 * Every app process runs this every minute (server/start.ts), so each
 * reading is claimed as `takeDueSnapshots` claims its snapshot: a
 * conditional UPDATE of `dueReminderAt` whose row lock makes a concurrent
 * claimer wait, re-check and find it taken; claim and notifications commit
 * together. Returns the ids of the readings this call reminded of.
 */
export async function sendDueReminders(now: Date = new Date()): Promise<string[]> {
  const soon = new Date(now.getTime() + DUE_REMINDER_LEAD_MS);
  const due = await db.reading.findMany({
    where: { dueAt: { gt: now, lte: soon }, dueReminderAt: null },
    select: { id: true, seminarId: true, documentId: true },
  });
  const reminded: string[] = [];
  for (const reading of due) {
    const claimed = await db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string }[]>`
        UPDATE "Reading" SET "dueReminderAt" = ${now}
        WHERE "id" = ${reading.id} AND "dueReminderAt" IS NULL
        RETURNING "id"`;
      if (rows.length === 0) return false;
      const students = await tx.membership.findMany({
        where: { seminarId: reading.seminarId, role: "STUDENT" },
        select: { userId: true },
      });
      await createNotifications(
        tx,
        students.map(({ userId }) => ({
          userId,
          kind: "READING_DUE" as const,
          actorId: null,
          seminarId: reading.seminarId,
          documentId: reading.documentId,
        })),
      );
      return true;
    });
    if (claimed) reminded.push(reading.id);
  }
  return reminded;
}
