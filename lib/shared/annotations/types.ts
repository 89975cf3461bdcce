/**
 * What the seminar room holds (docs/architecture.md §2: a projection of Postgres rows,
 * written by the server only) and what the notes room holds (one user's
 * private notes, written by that user). Clients read these shapes; the
 * parsers keep a malformed entry from breaking the margin.
 */
import "../validation/zod-in-browsers";
import { z } from "zod";
import { ZStoredAnchor } from "../anchors/anchor-schema";
import { ZCommentReactions, ZReactorNames } from "../reactions/reactions";

/** Kinds of shared annotations. */
export const ANNOTATION_KINDS = ["HIGHLIGHT", "COMMENT", "GUIDING_QUESTION"] as const;
/** One of {@link ANNOTATION_KINDS}. */
export type AnnotationKind = (typeof ANNOTATION_KINDS)[number];

const ZRole = z.enum(["INSTRUCTOR", "STUDENT"]).nullable();
const ZIsoDate = z.string();

/**
 * What a room says of a thread whose comments it does not all carry (docs/adr/0027): the
 * seminar and view rooms hold each thread's first comment only, and this summary of the
 * rest, so a reader syncs what the page draws and loads a thread's full body on demand.
 */
export const ZThreadSummary = z.object({
  /** Comments in the thread as this room's readers may see them (hidden and deleted ones keep their place). */
  commentCount: z.number().int().min(0),
  /** The #tags of those comments' visible words (stored form), each once. */
  tags: z.array(z.string()),
  /** Changes whenever any of those comments does: an open thread whose version moved loads again. */
  version: z.string(),
  /** Who wrote the latest of those comments (for announcements of replies not loaded). */
  lastAuthorId: z.string().nullable(),
  /** Their name. */
  lastAuthorName: z.string().nullable(),
});
export type ThreadSummary = z.infer<typeof ZThreadSummary>;

/** A shared annotation as projected into the seminar room. */
export const ZProjectedAnnotation = z.object({
  id: z.string(),
  kind: z.enum(ANNOTATION_KINDS),
  authorId: z.string(),
  authorName: z.string(),
  /** The author's role when the annotation was last written. */
  authorRole: ZRole,
  categoryId: z.string().nullable(),
  anchor: ZStoredAnchor,
  pinned: z.boolean(),
  resolvedAt: ZIsoDate.nullable(),
  resolvedByName: z.string().nullable(),
  createdAt: ZIsoDate,
  updatedAt: ZIsoDate,
  /** The thread's summary; absent in rooms and snapshots that carry every comment. */
  thread: ZThreadSummary.optional(),
});
export type ProjectedAnnotation = z.infer<typeof ZProjectedAnnotation>;

/** A comment as projected into the seminar room; `body` is null when deleted or hidden. */
export const ZProjectedComment = z.object({
  id: z.string(),
  annotationId: z.string(),
  parentId: z.string().nullable(),
  authorId: z.string(),
  authorName: z.string(),
  authorRole: ZRole,
  body: z.unknown().nullable(),
  createdAt: ZIsoDate,
  editedAt: ZIsoDate.nullable(),
  deletedAt: ZIsoDate.nullable(),
  hiddenAt: ZIsoDate.nullable(),
  /** Who reacted, by kind; absent in rooms written before reactions existed. */
  reactions: ZCommentReactions.optional(),
  /** The names of those who reacted, by user id; absent in rooms written before names were shown. */
  reactorNames: ZReactorNames.optional(),
});
export type ProjectedComment = z.infer<typeof ZProjectedComment>;

/** A thread's full body as `GET /api/annotations/:id/thread` answers it: every comment the reader may see. */
export const ZThreadBody = z.object({
  /** The thread. */
  annotationId: z.string(),
  /** The same version the reader's room carries for this thread when both are current. */
  version: z.string(),
  /** Its comments, oldest first, shaped as rooms hold them. */
  comments: z.array(ZProjectedComment),
});
export type ThreadBody = z.infer<typeof ZThreadBody>;

/** A highlight category as projected into the seminar room. */
export const ZProjectedCategory = z.object({
  id: z.string(),
  name: z.string(),
  color: z.string(),
  position: z.number(),
});
export type ProjectedCategory = z.infer<typeof ZProjectedCategory>;

/** A private note in the notes room (written by its owner's browser). */
export const ZPrivateNote = z.object({
  id: z.string().max(64),
  anchor: ZStoredAnchor,
  body: z.unknown(),
  createdAt: ZIsoDate,
  updatedAt: ZIsoDate,
});
export type PrivateNote = z.infer<typeof ZPrivateNote>;

/** Parses a map value; null when it does not fit (never throws). */
export function parseOr<T>(schema: z.ZodType<T>, value: unknown): T | null {
  const result = schema.safeParse(value);
  return result.success ? result.data : null;
}
