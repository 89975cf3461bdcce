/**
 * Which comments' tags a member may see (docs/adr/0021-tags.md): the same rule as
 * their words. Deleted and hidden comments' tags count for nobody (as review search
 * does not find their words), private notes are never rows, and on a reading whose
 * post-first gate still holds a student (docs/adr/0019) only instructors' and the
 * student's own comments, in instructors' and the student's own threads, count.
 */
import type { Prisma } from "../generated/prisma/client";
import { db } from "../db";
import { getPostFirstGate } from "../post-first/get-post-first-gate";

/** Whose words a member may not see yet, per reading. */
export type TagVisibility = {
  /** Readings (document ids) whose gate still holds the viewer. */
  lockedDocumentIds: string[];
  /** Whose comments count on those readings: the viewer and the seminar's instructors. */
  visibleWriterIds: string[];
};

/** The viewer's gates across the seminar's readings (none for instructors). */
export async function getTagVisibility(seminarId: string, viewerId: string): Promise<TagVisibility> {
  const gated = await db.reading.findMany({
    where: { seminarId, postFirstCount: { not: null } },
    select: { documentId: true },
  });
  const gates = await Promise.all(
    gated.map(async ({ documentId }) => ({
      documentId,
      gate: await getPostFirstGate(seminarId, documentId, viewerId),
    })),
  );
  const lockedDocumentIds = gates.filter(({ gate }) => gate.isLocked).map(({ documentId }) => documentId);
  if (lockedDocumentIds.length === 0) return { lockedDocumentIds, visibleWriterIds: [] };
  const instructors = await db.membership.findMany({
    where: { seminarId, role: "INSTRUCTOR" },
    select: { userId: true },
  });
  return { lockedDocumentIds, visibleWriterIds: [viewerId, ...instructors.map((m) => m.userId)] };
}

/**
 * The seminar's shared comments whose tags the viewer may see, as a Prisma filter
 * (narrowed to one reading when `documentId` is given).
 */
export function visibleTaggedComments(
  seminarId: string,
  visibility: TagVisibility,
  documentId?: string,
): Prisma.CommentWhereInput {
  const { lockedDocumentIds, visibleWriterIds } = visibility;
  return {
    deletedAt: null,
    hiddenAt: null,
    annotation: { seminarId, deletedAt: null, ...(documentId ? { documentId } : {}) },
    ...(lockedDocumentIds.length > 0
      ? {
          OR: [
            { annotation: { documentId: { notIn: lockedDocumentIds } } },
            { authorId: { in: visibleWriterIds }, annotation: { authorId: { in: visibleWriterIds } } },
          ],
        }
      : {}),
  };
}
