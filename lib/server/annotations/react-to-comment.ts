import { AppError } from "@/lib/shared/errors";
import { isVisibleBeforePosting } from "@/lib/shared/post-first/post-first";
import {
  REACTION_LABELS,
  REACTION_ROW_KIND,
  parseReactionKind,
  reactionKindsFor,
  type ReactionKind,
} from "@/lib/shared/reactions/reactions";
import { db } from "../db";
import { seminarPolicy, type Actor } from "../policies";
import { getPostFirstGate } from "../post-first/get-post-first-gate";
import { projectAnnotation, writeSeminarRoom } from "../realtime/projection";
import { requireComment } from "./require-annotation";

/** A comment's reactions of one kind, as the actor sees them after a toggle. */
export type ReactionState = { commentId: string; kind: ReactionKind; count: number; reacted: boolean };

/**
 * Adds (`on`) or removes the actor's reaction of `kindText` to a comment. Members
 * who can see the comment may react: not_found for non-members and for a comment
 * the post-first gate still hides from the actor, as for any comment they cannot see.
 * Adding twice or removing what is not there changes nothing (one per person and kind).
 */
export async function setReaction(
  actor: Actor,
  commentId: string,
  kindText: string,
  on: boolean,
): Promise<ReactionState> {
  const kind = parseReactionKind(kindText);
  if (!kind) throw new AppError("invalid_input", `A reaction is "helpful" or "same-question".`);
  const { annotation, access } = await requireComment(actor, commentId);
  const userId = actor!.userId;
  if (!seminarPolicy.view(access)) throw new AppError("not_found", "There is no such comment.");
  const comment = await db.comment.findUniqueOrThrow({
    where: { id: commentId },
    select: {
      deletedAt: true,
      hiddenAt: true,
      authorId: true,
      author: {
        select: { memberships: { where: { seminarId: annotation.seminarId }, select: { role: true } } },
      },
    },
  });
  const gate = await getPostFirstGate(annotation.seminarId, annotation.documentId, userId);
  if (gate.isLocked) {
    const threadRole = await db.membership.findUnique({
      where: { userId_seminarId: { userId: annotation.authorId, seminarId: annotation.seminarId } },
      select: { role: true },
    });
    const threadVisible = isVisibleBeforePosting(
      { id: annotation.authorId, role: threadRole?.role ?? null },
      userId,
    );
    const commentVisible = isVisibleBeforePosting(
      { id: comment.authorId, role: comment.author.memberships[0]?.role ?? null },
      userId,
    );
    if (!threadVisible || !commentVisible) throw new AppError("not_found", "There is no such comment.");
  }
  if (comment.deletedAt || comment.hiddenAt)
    throw new AppError("conflict", "This comment is deleted or hidden; it takes no reactions.");
  if (!reactionKindsFor(annotation.kind).includes(kind))
    throw new AppError(
      "invalid_input",
      `"${REACTION_LABELS[kind]}" is only offered on the comments of guiding questions.`,
    );
  const rowKind = REACTION_ROW_KIND[kind];
  const key = { commentId_userId_kind: { commentId, userId, kind: rowKind } };
  const { result } = await writeSeminarRoom(annotation.seminarId, annotation.documentId, async (tx, doc) => {
    if (on)
      await tx.reaction.upsert({ where: key, create: { commentId, userId, kind: rowKind }, update: {} });
    else await tx.reaction.deleteMany({ where: { commentId, userId, kind: rowKind } });
    await projectAnnotation(tx, doc, annotation.id);
    const count = await tx.reaction.count({ where: { commentId, kind: rowKind } });
    return { commentId, kind, count, reacted: on };
  });
  return result;
}
