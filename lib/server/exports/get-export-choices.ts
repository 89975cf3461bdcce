import { db } from "../db";
import { seminarPolicy, type Actor } from "../policies";
import { requireSeminar } from "../policies/require";
import { requireReading } from "../seminars/require-reading";

/**
 * What the export page offers a member: the reading, the seminar's members
 * (to export one participant's threads) and the discussion snapshots of this
 * reading (to export the discussion as one kept it). Non-members get not_found.
 */
export async function getExportChoices(actor: Actor, seminarId: string, documentId: string) {
  const access = await requireSeminar(
    actor,
    seminarId,
    seminarPolicy.export,
    "You may not export this reading.",
  );
  const reading = await requireReading(seminarId, documentId, {
    seminar: { select: { id: true, title: true } },
    document: { select: { id: true, title: true, byline: true } },
  });
  const [memberships, snapshots] = await Promise.all([
    db.membership.findMany({
      where: { seminarId },
      orderBy: [{ role: "asc" }, { user: { name: "asc" } }],
      select: { role: true, user: { select: { id: true, name: true } } },
    }),
    db.discussionSnapshot.findMany({
      where: { seminarId, documentId },
      orderBy: { createdAt: "desc" },
      select: { id: true, name: true, createdAt: true },
    }),
  ]);
  return {
    seminar: reading.seminar,
    document: reading.document,
    viewerId: access.actor.userId,
    members: memberships.map((membership) => ({ ...membership.user, role: membership.role })),
    snapshots,
  };
}
