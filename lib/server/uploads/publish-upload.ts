import type { JSONContent } from "@tiptap/core";
import { AppError } from "@/lib/shared/errors";
import { ZPublishUploadRequest, type TChapterRange } from "@/lib/shared/validation/uploads";
import { db, type Tx } from "../db";
import { createOwnedDocument } from "../documents/create-owned-document";
import { saveDocumentImages, uploadImagesOf } from "../documents/document-images";
import { convertUpload, type ConvertedImage } from "../imports/convert";
import { createNotifications } from "../notifications/create-notifications";
import { seminarPolicy, type Actor } from "../policies";
import { requireSeminar } from "../policies/require";
import { notifyAccessChange } from "../realtime/access-events";
import { parseInput } from "../parse-input";
import { requireUpload } from "./require-upload";
import { STATUS_CODES } from "./create-upload";

/** The longest title a text may have (the preview's title field says the same). */
const MAX_TITLE = 300;

/** One text to create from the upload: its content, title and the images its figures show. */
type Part = { content: JSONContent; title: string; images: ConvertedImage[] };

/**
 * Publishes an upload in preview: it becomes a document owned by the
 * uploader (in "My texts"), and, when a seminar is named, a reading of that
 * seminar with its due date and instruction, in one transaction. The
 * preview is deleted with it. A book (an EPUB of several chapters) may be
 * published as one reading per chosen range of chapters instead: each range
 * is converted from the kept file on its own. A new version is confirmed by
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
  const parts: Part[] =
    request.chapterRanges.length > 0
      ? await convertChapterRanges(upload, request.chapterRanges)
      : [
          {
            content: upload.content as JSONContent,
            title: upload.title,
            images: await uploadImagesOf(upload.id),
          },
        ];
  const metadata = { byline: upload.byline, source: upload.source, date: upload.date };
  const published = await db.$transaction(
    async (tx) => {
      // Deleting first makes a double publish (two clicks, two tabs) create nothing twice.
      const { count } = await tx.upload.deleteMany({ where: { id: upload.id } });
      if (count === 0) throw new AppError("not_found", "This upload was already published or discarded.");
      const texts: { document: { id: string; slug: string; title: string }; reading: Reading | null }[] = [];
      for (const part of parts) {
        const document = await createOwnedDocument(tx, {
          ownerId: upload.actor.userId,
          content: part.content,
          metadata: { ...metadata, title: part.title },
        });
        await saveDocumentImages(document.id, part.images, tx);
        const reading = request.seminarId
          ? await assignToSeminar(tx, upload.actor.userId, request.seminarId, document.id, request)
          : null;
        texts.push({ document, reading });
      }
      if (request.seminarId) {
        await notifyAccessChange({ type: "readings-changed", seminarId: request.seminarId }, tx);
      }
      return texts;
    },
    { timeout: 60_000 },
  );
  const first = published[0] as (typeof published)[number];
  return {
    document: first.document,
    reading: first.reading,
    /** Every text made: one, or one per range of chapters. */
    texts: published,
  };
}

type Reading = { id: string; seminarId: string };

/** Makes a published text a reading of the seminar and tells its members. */
async function assignToSeminar(
  tx: Tx,
  actorId: string,
  seminarId: string,
  documentId: string,
  request: { dueAt: string | null; instruction: string },
): Promise<Reading> {
  const reading = await tx.reading.create({
    data: {
      seminarId,
      documentId,
      dueAt: request.dueAt ? new Date(request.dueAt) : null,
      instruction: request.instruction,
    },
    select: { id: true, seminarId: true },
  });
  const members = await tx.membership.findMany({ where: { seminarId }, select: { userId: true } });
  await createNotifications(
    tx,
    members.map(({ userId }) => ({
      userId,
      kind: "READING_ASSIGNED" as const,
      actorId,
      seminarId,
      documentId,
    })),
  );
  return reading;
}

type UploadRow = Awaited<ReturnType<typeof requireUpload>>;

/**
 * Converts each chosen range of a book's chapters from the kept file: one
 * text per range, titled "Book: First chapter – Last chapter". Ranges may
 * overlap or repeat (an instructor may assign a chapter twice, on purpose).
 */
async function convertChapterRanges(upload: UploadRow, ranges: TChapterRange[]): Promise<Part[]> {
  const chapters = (upload.chapters as { title: string; index: number }[] | null) ?? [];
  if (chapters.length < 2 || !upload.original) {
    throw new AppError("invalid_input", "This upload has no chapters to publish one by one.", {
      fields: { chapterRanges: "This text has no chapters to choose from." },
    });
  }
  for (const range of ranges) {
    if (range.last >= chapters.length) {
      throw new AppError(
        "invalid_input",
        `The book has ${chapters.length} chapters; there is no chapter ${range.last + 1}.`,
        { fields: { chapterRanges: "Choose chapters of this book." } },
      );
    }
  }
  const bytes = new Uint8Array(upload.original);
  const parts: Part[] = [];
  for (const range of ranges) {
    const indexes = Array.from({ length: range.last - range.first + 1 }, (_, i) => range.first + i);
    const result = await convertUpload({ bytes, filename: upload.filename }, { chapters: indexes });
    if (!result.ok) throw new AppError(STATUS_CODES[result.status], result.message, { reason: result.code });
    parts.push({
      content: result.content,
      title: rangeTitle(upload.title, chapters, range),
      images: result.images,
    });
  }
  return parts;
}

/** "Book: Chapter" or "Book: First – Last", cut to the longest title a text may have. */
export function rangeTitle(book: string, chapters: { title: string }[], range: TChapterRange): string {
  const first = chapters[range.first]?.title ?? `Part ${range.first + 1}`;
  const last = chapters[range.last]?.title ?? `Part ${range.last + 1}`;
  const title = `${book}: ${range.first === range.last ? first : `${first} – ${last}`}`;
  return title.length > MAX_TITLE ? `${title.slice(0, MAX_TITLE - 1)}…` : title;
}
