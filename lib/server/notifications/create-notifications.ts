/**
 * Makes notifications in the transaction of the event they tell of, so an
 * event that rolls back tells nobody, and one that commits tells everyone it
 * concerns (docs/architecture.md §10). Called by createComment,
 * createAnnotation, updateComment (mentions an edit adds), assignReading and
 * the due-date sweep.
 */
import {
  DEFAULT_CHANNELS,
  KIND_PRECEDENCE,
  type NotificationKindName,
} from "@/lib/shared/notifications/kinds";
import type { Tx } from "../db";
import { getEnv } from "../env";
import { composeNotificationEmail, enqueueEmail } from "./notification-email";
import { loadNotificationViews } from "./notification-views";
import { announceUnreadChange } from "./unread-events";
import { dropEventsBeforePosting } from "../post-first/drop-events-before-posting";

/** Something that happened to one person. */
export type NotificationEvent = {
  /** The recipient. */
  userId: string;
  /** What happened. */
  kind: NotificationKindName;
  /** Who did it; null for the due-date reminder. */
  actorId: string | null;
  /** The seminar it happened in: the recipient must still be a member of it. */
  seminarId: string;
  /** The reading. */
  documentId?: string | null;
  /** The thread. */
  annotationId?: string | null;
  /** The comment. */
  commentId?: string | null;
};

/**
 * Writes one notification per recipient (the most specific kind when an
 * event concerns someone twice), skipping the actor themselves, anyone no
 * longer a member of the seminar, a student the post-first gate keeps from
 * seeing the comment, and kinds a recipient turned off; emails
 * the ones whose channel is EMAIL when SMTP is configured. Returns the ids
 * of the recipients notified.
 */
export async function createNotifications(tx: Tx, events: readonly NotificationEvent[]): Promise<string[]> {
  const byUser = new Map<string, NotificationEvent>();
  for (const event of events) {
    // Never about one's own action.
    if (event.userId === event.actorId) continue;
    const key = `${event.seminarId}/${event.userId}`;
    const previous = byUser.get(key);
    if (!previous || KIND_PRECEDENCE.indexOf(event.kind) < KIND_PRECEDENCE.indexOf(previous.kind)) {
      byUser.set(key, event);
    }
  }
  if (byUser.size === 0) return [];
  // Nothing about a comment the post-first gate still hides from its recipient.
  const candidates = await dropEventsBeforePosting(tx, [...byUser.values()]);
  if (candidates.length === 0) return [];
  const userIds = [...new Set(candidates.map((event) => event.userId))];
  // One query at a time: a transaction is one connection.
  const memberships = await tx.membership.findMany({
    where: { userId: { in: userIds }, seminarId: { in: [...new Set(candidates.map((e) => e.seminarId))] } },
    select: { userId: true, seminarId: true },
  });
  const preferences = await tx.notificationPreference.findMany({ where: { userId: { in: userIds } } });
  const isMember = new Set(memberships.map((m) => `${m.seminarId}/${m.userId}`));
  const chosen = new Map(preferences.map((p) => [`${p.userId}/${p.kind}`, p.channel]));
  const rows = candidates.flatMap((event) => {
    // Only about what the recipient may see: the seminar's shared layer, as a member.
    if (!isMember.has(`${event.seminarId}/${event.userId}`)) return [];
    const channel = chosen.get(`${event.userId}/${event.kind}`) ?? DEFAULT_CHANNELS[event.kind];
    if (channel === "OFF") return [];
    return [
      {
        userId: event.userId,
        kind: event.kind,
        channel,
        actorId: event.actorId,
        seminarId: event.seminarId,
        documentId: event.documentId ?? null,
        annotationId: event.annotationId ?? null,
        commentId: event.commentId ?? null,
      },
    ];
  });
  if (rows.length === 0) return [];
  const created = await tx.notification.createManyAndReturn({ data: rows });
  if (getEnv().SMTP_URL) {
    const toEmail = created.filter((row) => row.channel === "EMAIL");
    if (toEmail.length > 0) {
      const views = await loadNotificationViews(toEmail, tx);
      const recipients = await tx.user.findMany({
        where: { id: { in: toEmail.map((row) => row.userId) } },
        select: { id: true, name: true, email: true },
      });
      const recipientOf = new Map(recipients.map((user) => [user.id, user]));
      for (const [index, row] of toEmail.entries()) {
        const recipient = recipientOf.get(row.userId);
        const view = views[index];
        if (recipient && view) await enqueueEmail(tx, composeNotificationEmail(recipient, view));
      }
    }
  }
  const notified = [...new Set(created.map((row) => row.userId))];
  await announceUnreadChange(tx, notified);
  return notified;
}
