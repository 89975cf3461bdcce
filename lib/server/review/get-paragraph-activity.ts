import type { ParagraphActivity } from "@/lib/shared/review/review-types";
import { seminarPolicy, type Actor } from "../policies";
import { requireSeminar } from "../policies/require";
import { countByParagraph, loadPlacedDiscussion } from "./paragraph-activity";
import { requireReading } from "../seminars/require-reading";
import { db } from "../db";
import { getPostFirstGate } from "../post-first/get-post-first-gate";
import { filterRowsBeforePosting } from "../post-first/filter-thread-rows";

/**
 * How much discussion each paragraph of a reading's current text drew (the
 * review page's strip beside the text). Shared threads only, so every member
 * may see it; instructors get the same from `getParticipation`.
 */
export async function getParagraphActivity(
  actor: Actor,
  seminarId: string,
  documentId: string,
): Promise<ParagraphActivity[]> {
  const access = await requireSeminar(
    actor,
    seminarId,
    seminarPolicy.review,
    "You may not review this reading.",
  );
  await requireReading(seminarId, documentId, { id: true });
  const placed = await loadPlacedDiscussion(seminarId, documentId);
  const viewerId = access.actor.userId;
  if (!(await getPostFirstGate(seminarId, documentId, viewerId)).isLocked) return countByParagraph(placed);
  // Post first, then see (docs/adr/0019): where classmates wrote is theirs to show later.
  const members = await db.membership.findMany({
    where: { seminarId },
    select: { userId: true, role: true },
  });
  const roleOf = new Map(members.map((member) => [member.userId, member.role as string]));
  return countByParagraph({ ...placed, rows: filterRowsBeforePosting(placed.rows, roleOf, viewerId) });
}
