import type { ThreadBody } from "@/lib/shared/annotations/types";
import { versionOf } from "@/lib/shared/annotations/thread-summary";
import { isVisibleBeforePosting } from "@/lib/shared/post-first/post-first";
import { AppError } from "@/lib/shared/errors";
import { db } from "../db";
import type { Actor } from "../policies";
import { getPostFirstGate } from "../post-first/get-post-first-gate";
import { loadAnnotation, presentComment, rolesOf } from "../realtime/present-rows";
import { requireAnnotation } from "./require-annotation";

/**
 * A shared thread's full body: every comment the actor may see, shaped and versioned
 * as the rooms shape them. The seminar room (and each view room) carries a thread's
 * first comment only (docs/adr/0027); a card that opens loads the rest here, so this
 * route keeps the rooms' access rules exactly:
 * - members of the thread's seminar only (anyone else, and a deleted thread: not_found);
 * - a hidden or deleted comment keeps its place without its words, for everyone
 *   (instructors read hidden words through `GET /api/comments/:id`);
 * - a student who must post first (docs/adr/0019) gets not_found for a classmate's
 *   thread, and within a thread they may see, no classmate's reply.
 */
export async function getThread(actor: Actor, annotationId: string): Promise<ThreadBody> {
  const { annotation, access } = await requireAnnotation(actor, annotationId);
  const viewerId = access.actor.userId;
  const [gate, roles, row] = await Promise.all([
    getPostFirstGate(annotation.seminarId, annotation.documentId, viewerId),
    rolesOf(db, annotation.seminarId),
    loadAnnotation(db, annotationId),
  ]);
  let comments = row.comments.map((comment) => presentComment(row.id, comment, roles));
  if (gate.isLocked) {
    // The same answer as for a thread that does not exist: a locked student learns nothing of it.
    if (!isVisibleBeforePosting({ id: row.authorId, role: roles.get(row.authorId) ?? null }, viewerId))
      throw new AppError("not_found", "There is no such annotation.");
    comments = comments.filter((comment) =>
      isVisibleBeforePosting({ id: comment.authorId, role: comment.authorRole }, viewerId),
    );
  }
  return { annotationId: row.id, version: versionOf(comments), comments };
}
