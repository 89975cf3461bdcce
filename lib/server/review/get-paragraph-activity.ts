import type { ParagraphActivity } from "@/lib/shared/review/review-types";
import { seminarPolicy, type Actor } from "../policies";
import { requireSeminar } from "../policies/require";
import { countByParagraph, loadPlacedDiscussion } from "./paragraph-activity";
import { requireReading } from "../seminars/require-reading";

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
  await requireSeminar(actor, seminarId, seminarPolicy.review, "You may not review this reading.");
  await requireReading(seminarId, documentId, { id: true });
  return countByParagraph(await loadPlacedDiscussion(seminarId, documentId));
}
