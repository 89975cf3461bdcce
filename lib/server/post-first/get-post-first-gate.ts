import type { PostFirstGate } from "@/lib/shared/post-first/post-first";
import { db, type Tx } from "../db";

const OPEN: PostFirstGate = { required: 0, posted: 0, hiddenCount: 0, isLocked: false };

/**
 * A member's post-first gate on a reading (docs/adr/0019), from SQL: the same counts as
 * `gateOf` in lib/server/realtime/view-rooms.ts. Open for instructors, non-members and
 * readings without a gate.
 */
export async function getPostFirstGate(
  seminarId: string,
  documentId: string,
  userId: string,
  client: Tx | typeof db = db,
): Promise<PostFirstGate> {
  const [reading, membership] = await Promise.all([
    client.reading.findUnique({
      where: { seminarId_documentId: { seminarId, documentId } },
      select: { postFirstCount: true },
    }),
    client.membership.findUnique({
      where: { userId_seminarId: { userId, seminarId } },
      select: { role: true },
    }),
  ]);
  const required = reading?.postFirstCount ?? null;
  if (!required || membership?.role !== "STUDENT") return OPEN;
  const posted = await client.comment.count({
    where: { authorId: userId, deletedAt: null, annotation: { seminarId, documentId, deletedAt: null } },
  });
  if (posted >= required) return { required, posted, hiddenCount: 0, isLocked: false };
  const hiddenCount = await client.annotation.count({
    where: {
      seminarId,
      documentId,
      deletedAt: null,
      authorId: { not: userId },
      // Classmates: anyone but the seminar's instructors (a former member counts as a classmate).
      NOT: { author: { memberships: { some: { seminarId, role: "INSTRUCTOR" } } } },
    },
  });
  return { required, posted, hiddenCount, isLocked: true };
}
