import type { JSONContent } from "@tiptap/core";
import { AppError } from "@/lib/shared/errors";
import { ZPublishUploadRequest } from "@/lib/shared/validation/uploads";
import { db } from "../db";
import { createOwnedDocument } from "../documents/create-owned-document";
import { seminarPolicy, type Actor } from "../policies";
import { requireSeminar } from "../policies/require";
import { notifyAccessChange } from "../realtime/access-events";
import { parseInput } from "../parse-input";
import { requireUpload } from "./require-upload";

/**
 * Publishes an upload in preview: it becomes a document owned by the
 * uploader (in "My texts"), and, when a seminar is named, a reading of that
 * seminar with its due date and instruction, in one transaction. The
 * preview is deleted with it. A new version is confirmed by
 * replaceDocumentVersion instead.
 */
export async function publishUpload(actor: Actor, uploadId: string, input: unknown) {
  const upload = await requireUpload(actor, uploadId);
  if (upload.replacesDocumentId) {
    throw new AppError(
      "conflict",
      "This upload is a new version of a text: confirm the new version instead.",
    );
  }
  const request = parseInput(ZPublishUploadRequest, input, { withFields: true });
  if (request.seminarId) {
    await requireSeminar(
      actor,
      request.seminarId,
      seminarPolicy.assignReadings,
      "Only instructors can assign readings.",
    );
  }
  return db.$transaction(async (tx) => {
    // Deleting first makes a double publish (two clicks, two tabs) create one document.
    const { count } = await tx.upload.deleteMany({ where: { id: upload.id } });
    if (count === 0) throw new AppError("not_found", "This upload was already published or discarded.");
    const document = await createOwnedDocument(tx, {
      ownerId: upload.actor.userId,
      content: upload.content as JSONContent,
      metadata: { title: upload.title, byline: upload.byline, source: upload.source, date: upload.date },
    });
    let reading: { id: string; seminarId: string } | null = null;
    if (request.seminarId) {
      reading = await tx.reading.create({
        data: {
          seminarId: request.seminarId,
          documentId: document.id,
          dueAt: request.dueAt ? new Date(request.dueAt) : null,
          instruction: request.instruction,
        },
        select: { id: true, seminarId: true },
      });
      await notifyAccessChange({ type: "readings-changed", seminarId: request.seminarId }, tx);
    }
    return { document, reading };
  });
}
