import { findMentionedUserIds } from "@/lib/shared/comments/comment-body";
import { readCommentBody } from "@/lib/shared/comments/read-comment-body";
import type { Tx } from "../db";
import type { NotificationEvent } from "./create-notifications";

/**
 * Who an edit newly mentions: people the edited words mention and the words before the
 * edit did not, and who have never been told of a mention in this comment (so a name
 * taken out and put back tells nobody twice). Everyone else heard of the comment when
 * it was written. Called in the edit's transaction, with the body read in it.
 */
export async function addedMentionEvents(
  tx: Tx,
  comment: {
    /** The edited comment. */
    id: string;
    /** Its author, who edits it. */
    authorId: string;
    /** Its stored body before the edit. */
    previousBody: unknown;
    /** Who the edited words mention (already checked to be members). */
    mentionedIds: readonly string[];
  },
  thread: { id: string; seminarId: string; documentId: string },
): Promise<NotificationEvent[]> {
  const before = new Set(findMentionedUserIds(readCommentBody(comment.previousBody)));
  const added = comment.mentionedIds.filter((userId) => !before.has(userId));
  if (added.length === 0) return [];
  const told = await tx.notification.findMany({
    where: { commentId: comment.id, kind: "MENTION", userId: { in: added } },
    select: { userId: true },
  });
  const alreadyTold = new Set(told.map((row) => row.userId));
  return added
    .filter((userId) => !alreadyTold.has(userId))
    .map((userId) => ({
      userId,
      kind: "MENTION",
      actorId: comment.authorId,
      seminarId: thread.seminarId,
      documentId: thread.documentId,
      annotationId: thread.id,
      commentId: comment.id,
    }));
}
