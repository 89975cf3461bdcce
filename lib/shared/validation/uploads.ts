import "./zod-in-browsers";
import { z } from "zod";
import { ZId } from "./seminars";
import { ZSafeText } from "./text";

/** Largest upload accepted, in bytes: 25 MiB (docs/adr/0014). */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

/** What a person reads when their file is over {@link MAX_UPLOAD_BYTES}. */
export function uploadTooLargeMessage(): string {
  return "The file is larger than 25 MiB, the most an upload may be. Split it, or export it without images.";
}

/** A file's name as sent with an upload (the `name` query parameter). */
export const ZUploadFilename = ZSafeText("File name")
  .trim()
  .min(1, "Say the file's name.")
  .max(255, "Use a file name of at most 255 characters.");

/**
 * The id a browser gives its conversion, to poll its progress by
 * (`?job=` on the upload, `/api/uploads/jobs/:id`): a random UUID or the like.
 */
export const ZConversionJobId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,64}$/, "A conversion id is 16 to 64 letters, digits, dashes or underscores.");

/** The most readings one publish may make from a book's chapters. */
export const MAX_CHAPTER_RANGES = 50;

/** One reading's chapters of a book (EPUB): the first and last, counted from 0, inclusive. */
export const ZChapterRange = z
  .object({
    first: z.number().int().min(0, "A chapter number cannot be negative."),
    last: z.number().int().min(0, "A chapter number cannot be negative."),
  })
  .refine((range) => range.last >= range.first, "A range of chapters must end at or after its start.");
export type TChapterRange = z.infer<typeof ZChapterRange>;

/** The editable metadata of a text in preview. */
export const ZUploadMetadataRequest = z.object({
  title: ZSafeText("Title")
    .trim()
    .min(1, "Give the text a title.")
    .max(300, "Use at most 300 characters.")
    .optional(),
  byline: ZSafeText("Author").trim().max(300, "Use at most 300 characters.").optional(),
  source: ZSafeText("Source").trim().max(500, "Use at most 500 characters.").optional(),
  date: ZSafeText("Date").trim().max(100, "Use at most 100 characters.").nullable().optional(),
});
export type TUploadMetadataRequest = z.infer<typeof ZUploadMetadataRequest>;

/** Publish a text in preview: to "My texts" only, or as a reading of a seminar. */
export const ZPublishUploadRequest = z.object({
  /** The seminar to assign it to; null keeps it in "My texts" only. */
  seminarId: ZId.nullable().default(null),
  dueAt: z.iso.datetime({ offset: true }).nullable().default(null),
  instruction: ZSafeText("Instruction").trim().max(1000, "Use at most 1000 characters.").default(""),
  /**
   * A book's chapters, one reading per range (an EPUB's preview offers it);
   * absent or empty publishes the whole upload as one text.
   */
  chapterRanges: z
    .array(ZChapterRange)
    .max(MAX_CHAPTER_RANGES, `Publish at most ${MAX_CHAPTER_RANGES} ranges at once.`)
    .default([]),
});
export type TPublishUploadRequest = z.infer<typeof ZPublishUploadRequest>;
