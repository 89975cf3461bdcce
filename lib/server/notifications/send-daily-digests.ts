import { db } from "../db";
import { getEnv } from "../env";
import { composeDigestEmail, enqueueEmail } from "./notification-email";
import { loadNotificationViews } from "./notification-views";

/** The UTC hour from which a day's digests go out. */
export const DIGEST_HOUR_UTC = 7;

/**
 * Puts one digest email per person in the outbox, once a day (UTC), from
 * {@link DIGEST_HOUR_UTC}: the notifications whose channel is DIGEST and
 * that no digest carried yet, less those already read in the app. Every app
 * process runs this every minute; a `DigestClaim` row per person and day,
 * inserted in the transaction that marks the notifications and queues the
 * email, makes a second process (or sweep) find the day taken, so each
 * digest is queued once. Without SMTP_URL nothing is claimed or sent.
 * Returns the ids of the people a digest was queued for.
 */
export async function sendDailyDigests(now: Date = new Date()): Promise<string[]> {
  if (!getEnv().SMTP_URL || now.getUTCHours() < DIGEST_HOUR_UTC) return [];
  const day = now.toISOString().slice(0, 10);
  const pending = await db.notification.findMany({
    where: { channel: "DIGEST", digestedAt: null, createdAt: { lte: now } },
    select: { userId: true },
    distinct: ["userId"],
  });
  const sent: string[] = [];
  for (const { userId } of pending) {
    const queued = await db.$transaction(async (tx) => {
      const claim = await tx.$queryRaw<{ userId: string }[]>`
        INSERT INTO "DigestClaim" ("userId", "day") VALUES (${userId}, ${day})
        ON CONFLICT DO NOTHING RETURNING "userId"`;
      if (claim.length === 0) return false;
      const rows = await tx.notification.updateManyAndReturn({
        where: { userId, channel: "DIGEST", digestedAt: null, createdAt: { lte: now } },
        data: { digestedAt: now },
      });
      const unread = rows
        .filter((row) => row.readAt === null)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
      if (unread.length === 0) return false;
      const recipient = await tx.user.findUniqueOrThrow({
        where: { id: userId },
        select: { id: true, name: true, email: true },
      });
      // Only what the person may still see: seminars they are still a member of.
      const memberships = await tx.membership.findMany({ where: { userId }, select: { seminarId: true } });
      const seminars = new Set(memberships.map((m) => m.seminarId));
      const visible = unread.filter((row) => seminars.has(row.seminarId));
      if (visible.length === 0) return false;
      await enqueueEmail(tx, composeDigestEmail(recipient, await loadNotificationViews(visible, tx)));
      return true;
    });
    if (queued) sent.push(userId);
  }
  return sent;
}
