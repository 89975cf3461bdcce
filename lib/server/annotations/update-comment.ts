import { sanitizeCommentBody } from "@/lib/shared/comments/sanitize-comment-body";
import { AppError } from "@/lib/shared/errors";
import { ZUpdateCommentRequest } from "@/lib/shared/validation/annotations";
import type { Prisma } from "../generated/prisma/client";
import { commentPolicy, type Actor } from "../policies";
import { requireComment } from "./require-annotation";
import { projectAnnotation, writeSeminarRoom } from "../realtime/projection";
import { parseInput } from "../parse-input";
import { requireMentionedMembers } from "./require-mentioned-members";
import { addedMentionEvents } from "../notifications/added-mention-events";
import { createNotifications } from "../notifications/create-notifications";

/**
 * Edits a comment's words (its author; marked edited), or hides / shows it (instructors:
 * moderation). Someone the edit newly mentions is notified, once.
 */
export async function updateComment(actor: Actor, commentId: string, input: unknown) {
  const { comment, annotation, access } = await requireComment(actor, commentId);
  const request = parseInput(ZUpdateCommentRequest, input, { fallback: "Check the change." });
  if (comment.deletedAt) throw new AppError("conflict", "This comment was deleted.");
  const { body: rawBody, hidden } = request;
  if (rawBody !== undefined && !commentPolicy.edit(access, comment.authorId)) {
    throw new AppError("forbidden", "Only its author can edit a comment.");
  }
  if (hidden !== undefined && !commentPolicy.hide(access)) {
    throw new AppError("forbidden", "Only instructors can hide comments.");
  }
  const body = rawBody === undefined ? null : sanitizeCommentBody(rawBody);
  const mentionedIds = body ? await requireMentionedMembers(annotation.seminarId, body.body) : [];
  await writeSeminarRoom(annotation.seminarId, annotation.documentId, async (tx, doc) => {
    // Read under the room's lock, in the edit's transaction: the mentions before this
    // edit decide who is newly mentioned, even when two edits race.
    const before = await tx.comment.findUniqueOrThrow({
      where: { id: commentId },
      select: { body: true, hiddenAt: true },
    });
    await tx.comment.update({
      where: { id: commentId },
      data: {
        ...(body
          ? {
              body: body.body as Prisma.InputJsonValue,
              bodyText: body.text,
              tags: body.tags,
              editedAt: new Date(),
            }
          : {}),
        ...(hidden !== undefined
          ? hidden
            ? { hiddenAt: new Date(), hiddenById: access.actor.userId }
            : { hiddenAt: null, hiddenById: null }
          : {}),
      },
    });
    await projectAnnotation(tx, doc, annotation.id);
    // A mention added by an edit tells the person, as one on a new comment does; not
    // while the comment is hidden, since students cannot read its words.
    const isHidden = hidden ?? before.hiddenAt !== null;
    if (body && !isHidden) {
      await createNotifications(
        tx,
        await addedMentionEvents(
          tx,
          { id: commentId, authorId: comment.authorId, previousBody: before.body, mentionedIds },
          annotation,
        ),
      );
    }
  });
  return { id: commentId };
}
