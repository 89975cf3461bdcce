import { db } from "../db";
import { findReadingPreview, warmPreviewQueries } from "../annotations/find-first-threads";
import { findActiveSessionUser } from "../auth/sessions";
import { getSeminarReading } from "./get-seminar-reading";

/**
 * Runs the reading page's queries once, as an instructor of the newest reading would, and
 * throws the answers away, so that a member's first reading after the app starts does not
 * pay for planning them: Prisma plans each query shape the first time it runs (the client is
 * one per process, lib/server/db.ts, so the page's requests find them planned). The
 * anonymous warm-up requests (server/warm-up.ts) stop at the sign-in redirect, before any of
 * them. An instructor, so that "post first" (docs/adr/0019) hides none of the preview's
 * queries; the preview's queries also run for no reading, for the shapes a reading without
 * threads never asks. Reads only, and nothing leaves the process. Never rejects.
 *
 * Measured (the demo seminar, a member's first reading after a start, alternating runs): the
 * HTML's first byte 217–282 ms → 108–223 over HTTP; in Chromium 552–1,097 → 243–347 ms.
 */
export async function warmReadingQueries(): Promise<void> {
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
          ]
        : []),
    ]);
  } catch {
    // Warming up is only ever an optimisation.
  }
}
