import { AppError } from "@/lib/shared/errors";
import type { Tx } from "../db";
import { db } from "../db";
import type { Actor } from "../policies";

/**
 * The actor's own upload that has not expired; not_found for anyone else's,
 * as for any other thing a person may not know exists.
 */
export async function requireUpload(actor: Actor, uploadId: string, client: Tx | typeof db = db) {
  if (!actor) throw new AppError("unauthenticated", "Sign in first.");
  const upload = await client.upload.findUnique({ where: { id: uploadId } });
  if (!upload || upload.ownerId !== actor.userId || upload.expiresAt <= new Date()) {
    throw new AppError("not_found", "There is no such upload; it may have been discarded or have expired.");
  }
  return { ...upload, actor };
}
