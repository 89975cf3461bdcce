import { findMentionedUserIds, type CommentBody } from "@/lib/shared/comments/comment-body";
import { AppError } from "@/lib/shared/errors";
import { db } from "../db";

/**
 * The ids a comment body mentions, once each; invalid_input (400) when any of
 * them is not a member of the seminar: mentioning someone outside it is
 * impossible, whatever a browser sends.
 */
export async function requireMentionedMembers(seminarId: string, body: CommentBody): Promise<string[]> {
  const ids = findMentionedUserIds(body);
  if (ids.length === 0) return [];
  const members = await db.membership.findMany({
    where: { seminarId, userId: { in: ids } },
    select: { userId: true },
  });
  if (members.length !== ids.length) {
    throw new AppError("invalid_input", "You can only mention members of this seminar.", {
      field: "body",
    });
  }
  return ids;
}
