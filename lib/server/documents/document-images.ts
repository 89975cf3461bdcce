/**
 * The images of uploaded texts, stored in Postgres with their document. A
 * figure node holds only the image's key (a hash of its bytes); the bytes
 * are served by /api/document-images/[key] to whoever may read a document
 * that has the image, with a fixed image content type.
 */
import { AppError } from "@/lib/shared/errors";
import type { ConvertedImage } from "../imports/types";
import { LIMITS } from "../imports/types";
import { db, type Tx } from "../db";
import { documentPolicy, type Actor } from "../policies";
import { getDocumentAccess } from "../policies/load-access";

/** The image types served; anything else was never stored. */
export const IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

/** The images that may be stored and served: the allowed types, within the size limit. */
export function keptImages(images: ConvertedImage[]): ConvertedImage[] {
  return images.filter(
    (image) => IMAGE_TYPES.has(image.mediaType) && image.bytes.length <= LIMITS.imageBytes,
  );
}

/** An upload's stored images, as the converter made them (to store with the published document). */
export async function uploadImagesOf(uploadId: string): Promise<ConvertedImage[]> {
  const rows = await db.uploadImage.findMany({ where: { uploadId } });
  return rows.map((row) => ({ key: row.key, mediaType: row.mediaType, bytes: row.bytes, alt: row.alt }));
}

/** Stores a converted text's images with its document (idempotent per key). */
export async function saveDocumentImages(
  documentId: string,
  images: ConvertedImage[],
  client: Tx | typeof db = db,
): Promise<number> {
  const kept = keptImages(images);
  if (kept.length === 0) return 0;
  const result = await client.documentImage.createMany({
    data: kept.map((image) => ({
      documentId,
      key: image.key,
      mediaType: image.mediaType,
      bytes: Buffer.from(image.bytes),
      alt: image.alt,
    })),
    skipDuplicates: true,
  });
  return result.count;
}

/** An image the actor may see (of a document they may read); a 404 otherwise, as everywhere. */
export async function getDocumentImage(actor: Actor, key: string) {
  if (!/^[a-f0-9]{32}\.(png|jpg|gif|webp)$/.test(key)) throw new AppError("not_found", "No such image.");
  const images = await db.documentImage.findMany({
    where: { key },
    select: { documentId: true, mediaType: true, bytes: true },
    take: 20,
  });
  for (const image of images) {
    const access = await getDocumentAccess(actor, image.documentId);
    if (access && documentPolicy.view(access) && IMAGE_TYPES.has(image.mediaType)) {
      return { mediaType: image.mediaType, bytes: image.bytes };
    }
  }
  // An image of the actor's own upload in preview (the preview shows the text with its figures).
  if (actor) {
    const preview = await db.uploadImage.findFirst({
      where: { key, upload: { ownerId: actor.userId, expiresAt: { gt: new Date() } } },
      select: { mediaType: true, bytes: true },
    });
    if (preview && IMAGE_TYPES.has(preview.mediaType)) return preview;
  }
  throw new AppError("not_found", "No such image.");
}
