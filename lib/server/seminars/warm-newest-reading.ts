import { db } from "../db";
import { findReadingPreview, warmPreviewQueries } from "../annotations/find-first-threads";
import { findActiveSessionUser } from "../auth/sessions";
import { loadPlacedDiscussion } from "../review/paragraph-activity";
import { getSeminarReading } from "./get-seminar-reading";

/**
 * Runs the reading page's queries once, as an instructor of the newest reading would, and
 * throws the answers away, so that a member's first reading after the app starts does not
 * pay for planning them: Prisma plans each query shape the first time it runs (the client is
 * one per process, lib/server/db.ts, so the page's requests find them planned). The
 * anonymous warm-up requests (server/warm-up.ts) stop at the sign-in redirect, before any of
 * them. An instructor, so that "post first" (docs/adr/0019) hides none of the preview's
 * queries; the preview's queries also run for no reading, for the shapes a reading without
 * threads never asks. It also places that reading's threads in its text, as the review page
 * does (one placement cache per process, lib/server/review/load-current-text.ts): placing
 * 10,000 anchors is most of a first review's wait.
 *
 * Reads only, except that a text room never opened is seeded from its document, as its first
 * reader would; nothing leaves the process. Never rejects.
 */
export async function warmNewestReading(): Promise<void> {
  try {
    const reading = await db.reading.findFirst({
      where: { seminar: { memberships: { some: { role: "INSTRUCTOR" } } } },
      orderBy: { createdAt: "desc" },
      select: {
        seminarId: true,
        documentId: true,
        seminar: {
          select: { memberships: { where: { role: "INSTRUCTOR" }, take: 1, select: { userId: true } } },
        },
      },
    });
    const instructor = reading?.seminar.memberships[0];
    const none = "warm-up";
    await Promise.allSettled([
      findActiveSessionUser(none, none),
      warmPreviewQueries(),
      ...(reading && instructor
        ? [
            getSeminarReading(instructor, reading.seminarId, reading.documentId),
            findReadingPreview(instructor, reading.seminarId, reading.documentId),
            loadPlacedDiscussion(reading.seminarId, reading.documentId),
          ]
        : []),
    ]);
  } catch {
    // Warming up is only ever an optimisation.
  }
}
