import type { JSONContent } from "@tiptap/core";
import { ZUploadMetadataRequest } from "@/lib/shared/validation/uploads";
import { db } from "../db";
import type { Actor } from "../policies";
import { parseInput } from "../parse-input";
import { getUpload } from "./get-upload";
import { requireUpload } from "./require-upload";
import { withMetadata } from "./upload-content";

/** Changes the title, author, source line or date of an upload in preview; returns the new preview. */
export async function updateUpload(actor: Actor, uploadId: string, input: unknown) {
  const upload = await requireUpload(actor, uploadId);
  const request = parseInput(ZUploadMetadataRequest, input, { withFields: true });
  const metadata = {
    title: request.title ?? upload.title,
    byline: request.byline ?? upload.byline,
    source: request.source ?? upload.source,
    date: request.date === undefined ? upload.date : request.date || null,
  };
  await db.upload.update({
    where: { id: upload.id },
    data: { ...metadata, content: withMetadata(upload.content as JSONContent, metadata) },
  });
  return getUpload(actor, uploadId);
}
