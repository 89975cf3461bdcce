import { db } from "../db";
import type { Actor } from "../policies";
import { requireUpload } from "./require-upload";

/** Discards an upload in preview: nothing of it remains. */
export async function deleteUpload(actor: Actor, uploadId: string): Promise<void> {
  const upload = await requireUpload(actor, uploadId);
  await db.upload.deleteMany({ where: { id: upload.id } });
}

/** Deletes every expired upload; returns how many. Called when an upload is created. */
export async function deleteExpiredUploads(now = new Date()): Promise<number> {
  const { count } = await db.upload.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}
