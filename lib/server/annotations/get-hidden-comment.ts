import { readCommentBody } from "@/lib/shared/comments/read-comment-body";
import type { CommentBody } from "@/lib/shared/comments/comment-body";
import { AppError } from "@/lib/shared/errors";
import { db } from "../db";
import { commentPolicy, type Actor } from "../policies";
import { requireComment } from "./require-annotation";

/** A hidden comment's words, as an instructor reads them. */
export type HiddenComment = {
  /** The comment's id. */
  id: string;
  /** The words students no longer see. */
  body: CommentBody;
  /** When it was hidden. */
  hiddenAt: string;
};

/**
 * The words of a hidden comment, for the seminar's instructors only. The seminar room
 * carries a hidden comment without its words (docs/adr/0008), so every member's browser
 * gets the same bytes; an instructor's browser asks here for the words it may show,
 * marked hidden, and a student's request is refused before anything is read.
 */
export async function getHiddenComment(actor: Actor, commentId: string): Promise<HiddenComment> {
  const { access } = await requireComment(actor, commentId);
  if (!commentPolicy.readHidden(access))
    throw new AppError("forbidden", "Only the seminar's instructors can read hidden comments.");
  const row = await db.comment.findUniqueOrThrow({
    where: { id: commentId },
    select: { id: true, body: true, hiddenAt: true, deletedAt: true },
  });
  if (!row.hiddenAt || row.deletedAt) throw new AppError("not_found", "That comment is not hidden.");
  return { id: row.id, body: readCommentBody(row.body), hiddenAt: row.hiddenAt.toISOString() };
}
