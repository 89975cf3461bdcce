import { AppError } from "@/lib/shared/errors";
import { db } from "../db";
import type { Actor } from "../policies";

/** The actor's uploaded texts and the uploads still in preview, for the "My texts" page. */
export async function findMyTexts(actor: Actor) {
  if (!actor) throw new AppError("unauthenticated", "Sign in first.");
  const [documents, uploads] = await Promise.all([
    db.document.findMany({
      // A text replaced by a newer version is reached through that version.
      where: { ownerId: actor.userId, nextVersion: null },
      orderBy: { createdAt: "desc" },
      select: {
        id: true,
        slug: true,
        title: true,
        byline: true,
        source: true,
        createdAt: true,
        previousVersionId: true,
        readings: { select: { seminar: { select: { id: true, title: true } } } },
      },
    }),
    db.upload.findMany({
      where: { ownerId: actor.userId, expiresAt: { gt: new Date() } },
      orderBy: { createdAt: "desc" },
      select: { id: true, title: true, filename: true, createdAt: true },
    }),
  ]);
  return { documents, uploads };
}
