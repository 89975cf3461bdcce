import { createHash, randomBytes } from "node:crypto";
import type { JSONContent } from "@tiptap/core";
import type { Tx } from "../db";
import { indexContent, withMetadata, type TextMetadata } from "../uploads/upload-content";

/**
 * Creates a document owned by `ownerId` from content in the reading schema:
 * an upload being published, a seminar copy, or a new version. Its text room
 * is seeded from `content` when first opened (seed-text-room.ts). A copy gets
 * the original's images too.
 */
export async function createOwnedDocument(
  tx: Tx,
  input: {
    ownerId: string;
    content: JSONContent;
    metadata: TextMetadata;
    copiedFromId?: string | null;
    previousVersionId?: string | null;
  },
) {
  const content = withMetadata(input.content, input.metadata);
  const { plainText, offsetMap } = indexContent(content);
  const document = await tx.document.create({
    data: {
      // Uploaded texts have no meaningful name to put in the address; a random one also keeps them unguessable.
      slug: `u-${randomBytes(9)
        .toString("base64url")
        .toLowerCase()
        .replace(/[^a-z0-9]/g, "0")}`,
      title: input.metadata.title,
      byline: input.metadata.byline,
      source: input.metadata.source,
      date: input.metadata.date,
      content: content,
      plainText,
      offsetMap,
      version: createHash("sha256").update(JSON.stringify(content)).digest("hex"),
      isPublic: false,
      ownerId: input.ownerId,
      copiedFromId: input.copiedFromId ?? null,
      previousVersionId: input.previousVersionId ?? null,
    },
    select: { id: true, slug: true, title: true },
  });
  // A seminar copy shows the original's figures: its readers may not be the original's.
  if (input.copiedFromId) {
    const images = await tx.documentImage.findMany({
      where: { documentId: input.copiedFromId },
      select: { key: true, mediaType: true, bytes: true, alt: true },
    });
    if (images.length > 0) {
      await tx.documentImage.createMany({
        data: images.map((image) => ({ ...image, documentId: document.id })),
        skipDuplicates: true,
      });
    }
  }
  return document;
}
