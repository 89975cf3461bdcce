import { sanitizeCommentBody } from "@/lib/shared/comments/sanitize-comment-body";
import { AppError } from "@/lib/shared/errors";
import { ZCreateAnnotationRequest } from "@/lib/shared/validation/annotations";
import { Prisma } from "../generated/prisma/client";
import { db, type Tx } from "../db";
import { seminarPolicy, type Actor } from "../policies";
import { requireSeminar } from "../policies/require";
import { anchorToRow } from "./anchor-bytes";
import { projectAnnotation, writeSeminarRoom } from "../realtime/projection";
import { parseInput } from "../parse-input";
import { requireReading } from "../seminars/require-reading";
import { deriveAnchor } from "./derive-anchor";
import { createNotifications, type NotificationEvent } from "../notifications/create-notifications";
import { requireMentionedMembers } from "./require-mentioned-members";

/**
 * Creates a shared annotation on a seminar's reading: a highlight (in a
 * category), a comment thread (with its first comment) or, for instructors,
 * a guiding question. The rows and the seminar room's update commit together.
 * The id comes from the browser, so a retried request creates nothing twice;
 * the quote comes from the text (deriveAnchor), never from the browser.
 */
export async function createAnnotation(actor: Actor, seminarId: string, documentId: string, input: unknown) {
  const access = await requireSeminar(actor, seminarId, seminarPolicy.annotate);
  const request = parseInput(ZCreateAnnotationRequest, input, { fallback: "Check the annotation." });
  if (request.kind === "GUIDING_QUESTION" && !seminarPolicy.guide(access)) {
    throw new AppError("forbidden", "Only instructors can ask guiding questions.");
  }
  await requireReading(seminarId, documentId, { id: true });

  const needsBody = request.kind !== "HIGHLIGHT";
  const body = request.body === undefined ? null : sanitizeCommentBody(request.body);
  if (needsBody && !body) throw new AppError("invalid_input", "Write something first.");
  const mentionedIds = body ? await requireMentionedMembers(seminarId, body.body) : [];
  let categoryId = request.categoryId;
  if (categoryId) {
    const category = await db.category.findFirst({
      where: { id: categoryId, seminarId },
      select: { id: true },
    });
    if (!category) throw new AppError("invalid_input", "That category does not belong to this seminar.");
  } else if (request.kind === "HIGHLIGHT") {
    categoryId =
      (
        await db.category.findFirst({
          where: { seminarId },
          orderBy: { position: "asc" },
          select: { id: true },
        })
      )?.id ?? null;
  }

  const existing = await db.annotation.findUnique({
    where: { id: request.id },
    select: { authorId: true, seminarId: true },
  });
  if (existing) {
    // A retry of a request that already committed: answer as the first time did.
    if (existing.authorId === access.actor.userId && existing.seminarId === seminarId)
      return { id: request.id, created: false };
    throw new AppError("conflict", "That id is taken.");
  }

  // The words others will read come from the text, not from the request.
  const anchor = await deriveAnchor(documentId, request.anchor);

  /** A guiding question concerns every member; a thread's first comment, whom it mentions. */
  const annotationNotificationEvents = async (tx: Tx): Promise<NotificationEvent[]> => {
    const commentId = body
      ? ((
          await tx.comment.findFirst({
            where: { annotationId: request.id },
            orderBy: { createdAt: "asc" },
            select: { id: true },
          })
        )?.id ?? null)
      : null;
    const base = { actorId: access.actor.userId, seminarId, documentId, annotationId: request.id, commentId };
    const events: NotificationEvent[] = mentionedIds.map((userId) => ({ ...base, userId, kind: "MENTION" }));
    if (request.kind === "GUIDING_QUESTION") {
      const members = await tx.membership.findMany({ where: { seminarId }, select: { userId: true } });
      for (const { userId } of members) events.push({ ...base, userId, kind: "GUIDING_QUESTION" });
    }
    return events;
  };

  try {
    await writeSeminarRoom(seminarId, documentId, async (tx, doc) => {
      // Checked again under the seminar room's lock: the reading may have been removed, or
      // moved to a seminar copy of the text (docs/adr/0026, which takes this lock first), since.
      const reading = await tx.reading.findUnique({
        where: { seminarId_documentId: { seminarId, documentId } },
        select: { id: true },
      });
      if (!reading)
        throw new AppError(
          "conflict",
          "This reading has just been removed or moved to the seminar's own copy of the text. Reload the page and post again.",
        );
      await tx.annotation.create({
        data: {
          id: request.id,
          seminarId,
          documentId,
          authorId: access.actor.userId,
          kind: request.kind,
          categoryId,
          ...anchorToRow(anchor),
          ...(body
            ? {
                comments: {
                  create: {
                    ...(request.commentId ? { id: request.commentId } : {}),
                    authorId: access.actor.userId,
                    body: body.body,
                    bodyText: body.text,
                    tags: body.tags,
                  },
                },
              }
            : {}),
        },
      });
      await projectAnnotation(tx, doc, request.id);
      await createNotifications(tx, await annotationNotificationEvents(tx));
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("conflict", "That id is taken.");
    }
    throw error;
  }
  return { id: request.id, created: true };
}
