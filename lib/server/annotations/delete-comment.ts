import { AppError } from "@/lib/shared/errors";
import { commentPolicy, type Actor } from "../policies";
import { requireComment } from "./require-annotation";
import { projectAnnotation, writeSeminarRoom } from "../realtime/projection";

/** Deletes a comment (its author, or an instructor): it keeps its place in the thread, without its words. */
export async function deleteComment(actor: Actor, commentId: string) {
  const { comment, annotation, access } = await requireComment(actor, commentId);
  if (!commentPolicy.delete(access, comment.authorId)) {
    throw new AppError("forbidden", "Only its author or an instructor can delete a comment.");
  }
  if (comment.deletedAt) return { id: commentId };
  await writeSeminarRoom(annotation.seminarId, annotation.documentId, async (tx, doc) => {
    await tx.comment.update({ where: { id: commentId }, data: { deletedAt: new Date() } });
    await projectAnnotation(tx, doc, annotation.id);
  });
  return { id: commentId };
}
