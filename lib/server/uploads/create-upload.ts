import { AppError, type ErrorCode } from "@/lib/shared/errors";
import { ZConversionJobId, ZUploadFilename } from "@/lib/shared/validation/uploads";
import { db } from "../db";
import { keptImages } from "../documents/document-images";
import { isOcrAvailable } from "../imports/is-ocr-available";
import { convertUpload, type ConvertOptions } from "../imports/convert";
import { documentPolicy, type Actor } from "../policies";
import { getDocumentAccess } from "../policies/load-access";
import { parseInput } from "../parse-input";
import { recordConversionProgress } from "./conversion-progress";
import { withMetadata } from "./upload-content";

/** How long a converted file waits in preview before it is deleted (docs/adr/0014). */
export const UPLOAD_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** The error code of each status a conversion may refuse with. */
export const STATUS_CODES: Record<400 | 413 | 415 | 422, ErrorCode> = {
  400: "invalid_input",
  413: "too_large",
  415: "unsupported_media_type",
  422: "unprocessable",
};

/** What to convert, and what it is for. */
export type CreateUploadInput = {
  /** The file's bytes, whole (the route has already refused anything over the limit). */
  bytes: Uint8Array;
  /** The file's name as sent. */
  filename: unknown;
  /** The Content-Type it came with, if any. */
  mediaType?: string;
  /** When set, the upload is a new version of this document (its owner's only). */
  replacesDocumentId?: string | null;
  /** The browser's id for this conversion; its progress is written under it for polling. */
  jobId?: string | null;
};

/**
 * Converts a file and keeps the result in preview for its uploader. Nothing
 * is created when the conversion refuses the file: the refusal becomes an
 * AppError with the converter's status (413, 415, 422 or 400) and message.
 */
export async function createUpload(actor: Actor, input: CreateUploadInput, options: ConvertOptions = {}) {
  if (!actor) throw new AppError("unauthenticated", "Sign in first.");
  const filename = parseInput(ZUploadFilename, input.filename);
  if (input.replacesDocumentId) {
    const access = await getDocumentAccess(actor, input.replacesDocumentId);
    if (!access || !documentPolicy.view(access)) throw new AppError("not_found", "There is no such text.");
    if (access.ownerId !== actor.userId) {
      throw new AppError("forbidden", "Only the person who uploaded a text can upload a new version of it.");
    }
  }
  const jobId = input.jobId ? parseInput(ZConversionJobId, input.jobId) : null;
  const progress = jobId ? recordConversionProgress(actor.userId, jobId) : null;
  let result;
  try {
    result = await convertUpload(
      { bytes: input.bytes, filename, mediaType: input.mediaType },
      {
        ...options,
        onProgress: (step) => {
          progress?.report(step);
          options.onProgress?.(step);
        },
      },
    );
  } finally {
    await progress?.finish();
  }
  if (!result.ok) {
    // A scan is recognised before anything is created; the page offers OCR where this server can do it.
    const details: Record<string, unknown> = { reason: result.code };
    if (result.code === "scanned-pdf") details.ocrAvailable = isOcrAvailable();
    throw new AppError(STATUS_CODES[result.status], result.message, details);
  }
  const upload = await db.upload.create({
    data: {
      ownerId: actor.userId,
      filename,
      format: result.format,
      title: result.metadata.title,
      byline: result.metadata.byline,
      source: result.metadata.source,
      date: result.metadata.date,
      content: withMetadata(result.content, result.metadata),
      found: result.found,
      chapters: result.chapters ?? undefined,
      warnings: result.warnings,
      replacesDocumentId: input.replacesDocumentId ?? null,
      // A book's chapters can be published as separate readings later, each converted from the file.
      original: keepsOriginal(result) ? Buffer.from(input.bytes) : null,
      // The figures' images, shown in the preview and stored with the text when it is published.
      images: {
        create: keptImages(result.images).map((image) => ({
          key: image.key,
          mediaType: image.mediaType,
          bytes: Buffer.from(image.bytes),
          alt: image.alt,
        })),
      },
      expiresAt: new Date(Date.now() + UPLOAD_LIFETIME_MS),
    },
    select: { id: true },
  });
  return { id: upload.id };
}

/** Whether a later publish may convert parts of the file on their own: a book of several chapters. */
function keepsOriginal(result: { chapters?: unknown[] }): boolean {
  return (result.chapters?.length ?? 0) > 1;
}
