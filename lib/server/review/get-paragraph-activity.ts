import { AppError } from "@/lib/shared/errors";
import type { ParagraphActivity } from "@/lib/shared/review/review-types";
import { db } from "../db";
import { seminarPolicy, type Actor } from "../policies";
import { requireSeminar } from "../policies/require";
import { countByParagraph, loadPlacedDiscussion } from "./paragraph-activity";

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
  const reading = await db.reading.findUnique({
    where: { seminarId_documentId: { seminarId, documentId } },
    select: { id: true },
  });
  if (!reading) throw new AppError("not_found", "This seminar has no such reading.");
  return countByParagraph(await loadPlacedDiscussion(seminarId, documentId));
}
