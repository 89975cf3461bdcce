import { drainOutbox } from "./drain-outbox";
import { sendDailyDigests } from "./send-daily-digests";
import { sendDueReminders } from "./send-due-reminders";

/** What one sweep did. */
export type NotificationSweep = { reminded: number; digests: number; emailed: number };

/**
 * One round of the notification work every app process does on a timer
 * (server/start.ts): due-date reminders, the day's digests, then the outbox.
 * Each step claims its work in Postgres, so processes never do it twice.
 */
export async function sweepNotifications(now: Date = new Date()): Promise<NotificationSweep> {
  const reminded = await sendDueReminders(now);
  const digests = await sendDailyDigests(now);
  const emailed = await drainOutbox();
  return { reminded: reminded.length, digests: digests.length, emailed };
}
