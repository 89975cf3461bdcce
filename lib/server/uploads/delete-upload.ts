import { db } from "../db";
import type { Actor } from "../policies";
import { STALE_PROGRESS_MS } from "./conversion-progress";
import { requireUpload } from "./require-upload";

/** Discards an upload in preview: nothing of it remains. */
export async function deleteUpload(actor: Actor, uploadId: string): Promise<void> {
  const upload = await requireUpload(actor, uploadId);
  await db.upload.deleteMany({ where: { id: upload.id } });
}

/** How many expired uploads one statement deletes (a book's kept file may be 25 MiB). */
const SWEEP_BATCH = 100;

/** What one sweep deleted. */
export type UploadSweep = {
  /** The ids of the expired previews this sweep deleted (and no other sweep). */
  uploadIds: string[];
  /** Progress rows of conversions that can no longer be running. */
  staleProgress: number;
};

/**
 * Deletes every upload whose preview has expired (docs/adr/0014), with the
 * file kept for its chapters, and progress rows left by a conversion that
 * died with its process. Every app process runs this now and then
 * (server/start.ts); each row is claimed by the DELETE itself — `FOR UPDATE
 * SKIP LOCKED` hands a row to one sweep, which deletes it, and a concurrent
 * sweep passes it by — so each upload is deleted once and reported by the
 * sweep that deleted it.
 */
export async function deleteExpiredUploads(now: Date = new Date()): Promise<UploadSweep> {
  const uploadIds: string[] = [];
  for (;;) {
    const deleted = await db.$queryRaw<{ id: string }[]>`
      DELETE FROM "Upload" WHERE "id" IN (
        SELECT "id" FROM "Upload" WHERE "expiresAt" <= ${now}
        ORDER BY "expiresAt" LIMIT ${SWEEP_BATCH} FOR UPDATE SKIP LOCKED
      ) RETURNING "id"`;
    uploadIds.push(...deleted.map((row) => row.id));
    if (deleted.length < SWEEP_BATCH) break;
  }
  const { count: staleProgress } = await db.conversionProgress.deleteMany({
    where: { updatedAt: { lte: new Date(now.getTime() - STALE_PROGRESS_MS) } },
  });
  return { uploadIds, staleProgress };
}
