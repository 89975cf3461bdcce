import { sanitizeCommentBody } from "@/lib/shared/comments/comment-body";
import { AppError } from "@/lib/shared/errors";
import { ZUpdateCommentRequest } from "@/lib/shared/validation/annotations";
import type { Prisma } from "../generated/prisma/client";
import { commentPolicy, type Actor } from "../policies";
import { requireComment } from "./require-annotation";
import { projectAnnotation, writeSeminarRoom } from "../realtime/projection";
import { parseInput } from "../parse-input";
import { requireMentionedMembers } from "./require-mentioned-members";

/** Edits a comment's words (its author; marked edited), or hides / shows it (instructors: moderation). */
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
  if (body) await requireMentionedMembers(annotation.seminarId, body.body);
  await writeSeminarRoom(annotation.seminarId, annotation.documentId, async (tx, doc) => {
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
  });
  return { id: commentId };
}
