import type { Tx } from "../db";
import type { NotificationEvent } from "./create-notifications";

/**
 * Who a new comment concerns: everyone who started or wrote in the thread
 * (a reply), the person an instructor answers (the parent comment's author,
 * or the thread's for a top-level reply), and everyone it mentions.
 * createNotifications keeps one per person and drops the author.
 */
export async function commentNotificationEvents(
  tx: Tx,
  comment: {
    /** The new comment. */
    id: string;
    /** Its author. */
    authorId: string;
    /** Whether its author is an instructor of the seminar. */
    isByInstructor: boolean;
    /** The comment it answers, if any. */
    parentId: string | null;
    /** Who it mentions (already checked to be members). */
    mentionedIds: readonly string[];
  },
  thread: { id: string; seminarId: string; documentId: string; authorId: string },
): Promise<NotificationEvent[]> {
  const base = {
    actorId: comment.authorId,
    seminarId: thread.seminarId,
    documentId: thread.documentId,
    annotationId: thread.id,
    commentId: comment.id,
  };
  const writers = await tx.comment.findMany({
    where: { annotationId: thread.id, deletedAt: null, id: { not: comment.id } },
    select: { authorId: true },
    distinct: ["authorId"],
  });
  const participants = new Set([thread.authorId, ...writers.map((writer) => writer.authorId)]);
  const events: NotificationEvent[] = [...participants].map((userId) => ({ ...base, userId, kind: "REPLY" }));
  if (comment.isByInstructor) {
    const parent = comment.parentId
      ? await tx.comment.findUnique({ where: { id: comment.parentId }, select: { authorId: true } })
      : null;
    events.push({ ...base, userId: parent?.authorId ?? thread.authorId, kind: "INSTRUCTOR_REPLY" });
  }
  for (const userId of comment.mentionedIds) events.push({ ...base, userId, kind: "MENTION" });
  return events;
}
