import { sanitizeCommentBody } from "@/lib/shared/comments/sanitize-comment-body";
import { AppError } from "@/lib/shared/errors";
import { ZCreateCommentRequest } from "@/lib/shared/validation/annotations";
import { Prisma } from "../generated/prisma/client";
import { db } from "../db";
import { seminarPolicy, type Actor } from "../policies";
import { requireAnnotation } from "./require-annotation";
import { projectAnnotation, writeSeminarRoom } from "../realtime/projection";
import { parseInput } from "../parse-input";
import { commentNotificationEvents } from "../notifications/comment-notification-events";
import { createNotifications } from "../notifications/create-notifications";
import { requireMentionedMembers } from "./require-mentioned-members";

/** Replies in a thread (any member). The id comes from the browser, so a retry creates nothing twice. */
export async function createComment(actor: Actor, annotationId: string, input: unknown) {
  const { annotation, access } = await requireAnnotation(actor, annotationId);
  if (!seminarPolicy.annotate(access)) throw new AppError("forbidden", "Only members can reply.");
  const request = parseInput(ZCreateCommentRequest, input, { fallback: "Check the reply." });
  const body = sanitizeCommentBody(request.body);
  const mentionedIds = await requireMentionedMembers(annotation.seminarId, body.body);
  if (request.parentId) {
    const parent = await db.comment.findFirst({
      where: { id: request.parentId, annotationId },
      select: { id: true },
    });
    if (!parent) throw new AppError("invalid_input", "The comment you reply to is not in this thread.");
  }
  const existing = await db.comment.findUnique({
    where: { id: request.id },
    select: { authorId: true, annotationId: true },
  });
  if (existing) {
    if (existing.authorId === access.actor.userId && existing.annotationId === annotationId)
      return { id: request.id, created: false };
    throw new AppError("conflict", "That id is taken.");
  }
  try {
    await writeSeminarRoom(annotation.seminarId, annotation.documentId, async (tx, doc) => {
      await tx.comment.create({
        data: {
          id: request.id,
          annotationId,
          authorId: access.actor.userId,
          parentId: request.parentId,
          body: body.body,
          bodyText: body.text,
          tags: body.tags,
        },
      });
      // A reply reopens nothing by itself, but it does bump the thread.
      await tx.annotation.update({ where: { id: annotationId }, data: { updatedAt: new Date() } });
      await projectAnnotation(tx, doc, annotationId);
      await createNotifications(
        tx,
        await commentNotificationEvents(
          tx,
          {
            id: request.id,
            authorId: access.actor.userId,
            isByInstructor: access.role === "INSTRUCTOR",
            parentId: request.parentId ?? null,
            mentionedIds,
          },
          annotation,
        ),
      );
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("conflict", "That id is taken.");
    }
    throw error;
  }
  return { id: request.id, created: true };
}
