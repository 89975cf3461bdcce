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
