import { dueSnapshotName } from "@/lib/shared/review/snapshots";
import { db } from "../db";
import { captureSnapshot } from "./capture-snapshot";

/** How long one reading's claim and snapshot may take. */
const CLAIM_TIMEOUT_MS = 30_000;

/**
 * Takes the automatic snapshot of every reading whose due date has passed
 * (`now` or earlier) and that has none yet. Every app process runs this
 * every minute (server/start.ts), so each reading is claimed first: the
 * conditional UPDATE sets `dueSnapshotAt` only while it is still null, and
 * its row lock makes a concurrent claimer wait, re-check and find it taken.
 * Claim and snapshot commit together, so a crash in between leaves the
 * reading unclaimed for the next sweep, never claimed without a snapshot.
 * Returns the ids of the snapshots this call took.
 */
export async function takeDueSnapshots(now: Date = new Date()): Promise<string[]> {
  const due = await db.reading.findMany({
    where: { dueAt: { lte: now }, dueSnapshotAt: null },
    orderBy: { dueAt: "asc" },
    select: { id: true, seminarId: true, documentId: true, dueAt: true },
  });
  const taken: string[] = [];
  for (const reading of due) {
    const id = await db.$transaction(
      async (tx) => {
        const claimed = await tx.$queryRaw<{ id: string }[]>`
          UPDATE "Reading" SET "dueSnapshotAt" = ${now}
          WHERE "id" = ${reading.id} AND "dueSnapshotAt" IS NULL
          RETURNING "id"`;
        if (claimed.length === 0) return null;
        const snapshot = await captureSnapshot(
          reading.seminarId,
          reading.documentId,
          { name: dueSnapshotName(reading.dueAt as Date), automatic: true, authorId: null },
          tx,
        );
        return snapshot.id;
      },
      { timeout: CLAIM_TIMEOUT_MS, maxWait: CLAIM_TIMEOUT_MS },
    );
    if (id) taken.push(id);
  }
  return taken;
}
