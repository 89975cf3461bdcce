import { AppError } from "@/lib/shared/errors";
import { commentPolicy, type Actor } from "../policies";
import { requireAnnotation } from "./require-annotation";
import { projectAnnotation, writeSeminarRoom } from "../realtime/projection";

/** Removes an annotation and its thread from the margin (its author, or an instructor). The rows stay, marked deleted. */
export async function deleteAnnotation(actor: Actor, annotationId: string) {
  const { annotation, access } = await requireAnnotation(actor, annotationId);
  if (!commentPolicy.delete(access, annotation.authorId)) {
    throw new AppError("forbidden", "Only its author or an instructor can delete this.");
  }
  await writeSeminarRoom(annotation.seminarId, annotation.documentId, async (tx, doc) => {
    await tx.annotation.update({ where: { id: annotationId }, data: { deletedAt: new Date() } });
    await projectAnnotation(tx, doc, annotationId);
  });
  return { id: annotationId };
}
