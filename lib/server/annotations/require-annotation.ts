import { AppError } from "@/lib/shared/errors";
import { db } from "../db";
import type { Actor } from "../policies";
import { requireSeminar } from "../policies/require";

/** A live (not deleted) shared annotation and the actor's access to its seminar; not_found otherwise. */
export async function requireAnnotation(actor: Actor, annotationId: string) {
  if (!actor) throw new AppError("unauthenticated", "Sign in first.");
  const annotation = await db.annotation.findUnique({
    where: { id: annotationId },
    select: { id: true, seminarId: true, documentId: true, authorId: true, kind: true, deletedAt: true },
  });
  if (!annotation?.seminarId || annotation.deletedAt)
    throw new AppError("not_found", "There is no such annotation.");
  const access = await requireSeminar(actor, annotation.seminarId).catch(() => {
    throw new AppError("not_found", "There is no such annotation.");
  });
  return { annotation: { ...annotation, seminarId: annotation.seminarId }, access };
}

/** A comment, its annotation, and the actor's access; not_found for non-members and deleted threads. */
export async function requireComment(actor: Actor, commentId: string) {
  if (!actor) throw new AppError("unauthenticated", "Sign in first.");
  const comment = await db.comment.findUnique({
    where: { id: commentId },
    select: { id: true, authorId: true, annotationId: true, deletedAt: true },
  });
  if (!comment) throw new AppError("not_found", "There is no such comment.");
  const { annotation, access } = await requireAnnotation(actor, comment.annotationId).catch(() => {
    throw new AppError("not_found", "There is no such comment.");
  });
  return { comment, annotation, access };
}
