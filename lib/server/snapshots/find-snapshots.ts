import type { SnapshotSummary } from "@/lib/shared/review/snapshots";
import { db } from "../db";
import { seminarPolicy, type Actor } from "../policies";
import { requireSeminar } from "../policies/require";
import { requireReading } from "../seminars/require-reading";

/** The discussion snapshots of a reading, newest first (any member). */
export async function findSnapshots(
  actor: Actor,
  seminarId: string,
  documentId: string,
): Promise<SnapshotSummary[]> {
  await requireSeminar(actor, seminarId, seminarPolicy.review, "You may not see this reading's snapshots.");
  await requireReading(seminarId, documentId, { id: true });
  const rows = await db.discussionSnapshot.findMany({
    where: { seminarId, documentId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: {
      id: true,
      name: true,
      createdAt: true,
      automatic: true,
      threads: true,
      author: { select: { id: true, name: true } },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    automatic: row.automatic,
    author: row.author,
    threadCount: Array.isArray(row.threads) ? row.threads.length : 0,
  }));
}
