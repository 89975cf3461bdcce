import { AppError } from "@/lib/shared/errors";
import { ZUpdateAnnotationRequest } from "@/lib/shared/validation/annotations";
import { db } from "../db";
import { commentPolicy, seminarPolicy, type Actor } from "../policies";
import { requireAnnotation } from "./require-annotation";
import { projectAnnotation, writeSeminarRoom } from "../realtime/projection";
import { parseInput } from "../parse-input";

/**
 * Changes an annotation: its category (its author), its pin (instructors,
 * guiding questions only), or resolves / reopens its thread (its author or an instructor).
 */
export async function updateAnnotation(actor: Actor, annotationId: string, input: unknown) {
  const { annotation, access } = await requireAnnotation(actor, annotationId);
  const { categoryId, pinned, resolved } = parseInput(ZUpdateAnnotationRequest, input, {
    fallback: "Check the change.",
  });

  if (categoryId !== undefined) {
    if (annotation.authorId !== access.actor.userId)
      throw new AppError("forbidden", "Only its author can change a highlight's category.");
    if (categoryId) {
      const category = await db.category.findFirst({
        where: { id: categoryId, seminarId: annotation.seminarId },
        select: { id: true },
      });
      if (!category) throw new AppError("invalid_input", "That category does not belong to this seminar.");
    }
  }
  if (pinned !== undefined) {
    if (!seminarPolicy.guide(access))
      throw new AppError("forbidden", "Only instructors can pin guiding questions.");
    if (annotation.kind !== "GUIDING_QUESTION")
      throw new AppError("invalid_input", "Only guiding questions can be pinned.");
  }
  if (resolved !== undefined && !commentPolicy.resolve(access, annotation.authorId)) {
    throw new AppError("forbidden", "Only the thread's author or an instructor can resolve it.");
  }

  await writeSeminarRoom(annotation.seminarId, annotation.documentId, async (tx, doc) => {
    await tx.annotation.update({
      where: { id: annotationId },
      data: {
        ...(categoryId !== undefined ? { categoryId } : {}),
        ...(pinned !== undefined ? { pinned } : {}),
        ...(resolved !== undefined
          ? resolved
            ? { resolvedAt: new Date(), resolvedById: access.actor.userId }
            : { resolvedAt: null, resolvedById: null }
          : {}),
      },
    });
    await projectAnnotation(tx, doc, annotationId);
  });
  return { id: annotationId };
}
