import type { Actor } from "../policies";
import { requireSeminar } from "../policies/require";
import { requireReading } from "./require-reading";

/**
 * What a page about a reading shows in its heading: the seminar's title, the
 * text's title, byline and source, the due date, and the viewer's role. The
 * same checks as getSeminarReading (a member of the seminar, a reading of it,
 * or the copy it reads now) without what only the reading page needs: the
 * text itself, the seminar's tags, its members and the rest. The review page
 * loaded all of that before its first results (~60-120 ms at 10,000 threads).
 */
export async function getReadingHeading(actor: Actor, seminarId: string, documentId: string) {
  const access = await requireSeminar(actor, seminarId);
  const reading = await requireReading(seminarId, documentId, {
    dueAt: true,
    seminar: { select: { id: true, title: true } },
    document: { select: { id: true, title: true, byline: true, source: true } },
  });
  return { ...reading, role: access.role };
}
