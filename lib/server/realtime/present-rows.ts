/**
 * Reading annotation and comment rows and presenting them as the room shapes of
 * lib/shared/annotations/types.ts, for the seminar room (./projection.ts) and the
 * per-person view rooms (./view-rooms.ts).
 */
import type * as Y from "yjs";
import type {
  ProjectedAnnotation,
  ProjectedCategory,
  ProjectedComment,
} from "@/lib/shared/annotations/types";
import type { Tx } from "../db";
import { NO_REACTIONS, groupReactions, nameReactors } from "@/lib/shared/reactions/reactions";
import { ANCHOR_COLUMNS, anchorFromRow } from "../annotations/anchor-bytes";

/** A member's role, as rows store it. */
export type Role = "INSTRUCTOR" | "STUDENT";

/**
 * Sets `map[key] = value` unless it already holds an equal value (no needless tombstones).
 * A thread's entry is its JSON text (docs/adr/0032), compared as it is.
 */
export function setIfChanged(map: Y.Map<unknown>, key: string, value: unknown) {
  const current = map.get(key);
  const isSame =
    typeof value === "string" ? current === value : JSON.stringify(current) === JSON.stringify(value);
  if (!isSame) map.set(key, value);
}

/** Every member's role in the seminar. */
export async function rolesOf(tx: Tx, seminarId: string): Promise<Map<string, Role>> {
  const memberships = await tx.membership.findMany({
    where: { seminarId },
    select: { userId: true, role: true },
  });
  return new Map(memberships.map((membership) => [membership.userId, membership.role]));
}

/** What a projection reads of an annotation and its comments. */
export const ANNOTATION_SELECT = {
  id: true,
  seminarId: true,
  documentId: true,
  kind: true,
  authorId: true,
  categoryId: true,
  ...ANCHOR_COLUMNS,
  pinned: true,
  resolvedAt: true,
  createdAt: true,
  updatedAt: true,
  deletedAt: true,
  author: { select: { name: true } },
  resolvedBy: { select: { name: true } },
  comments: {
    orderBy: { createdAt: "asc" as const },
    select: {
      id: true,
      parentId: true,
      authorId: true,
      body: true,
      createdAt: true,
      editedAt: true,
      deletedAt: true,
      hiddenAt: true,
      author: { select: { name: true } },
      reactions: {
        orderBy: { createdAt: "asc" as const },
        select: { kind: true, userId: true, user: { select: { name: true } } },
      },
    },
  },
} as const;

/** An annotation row as {@link ANNOTATION_SELECT} reads it. */
export type AnnotationRow = Awaited<ReturnType<typeof loadAnnotation>>;

/** One annotation row with its comments. */
export function loadAnnotation(tx: Tx, annotationId: string) {
  return tx.annotation.findUniqueOrThrow({ where: { id: annotationId }, select: ANNOTATION_SELECT });
}

type AnnotationColumns = Omit<AnnotationRow, "author" | "resolvedBy" | "comments"> & {
  authorName: string;
  resolvedByName: string | null;
};
type CommentColumns = Omit<AnnotationRow["comments"][number], "author" | "reactions"> & {
  annotationId: string;
  authorName: string;
};
type ReactionColumns = AnnotationRow["comments"][number]["reactions"][number] extends infer R
  ? Omit<R, "user"> & { commentId: string; userName: string }
  : never;

/**
 * Every live annotation of a reading with its comments and their reactions: the rows
 * {@link ANNOTATION_SELECT} reads, in the same shape and order (annotations, comments and
 * reactions each by creation), read in three flat queries. Prisma's nested `findMany`
 * assembles the relations in JavaScript, which at 10,000 threads with ~22,000 comments took
 * ~0.7 s against ~0.3 s for these (an export, a snapshot and a room's first projection
 * each read them all). Within one transaction they run one after another; an export reads
 * them side by side under one snapshot (`loadDiscussionThreads`).
 */
export async function readAnnotationRows(
  tx: Tx,
  seminarId: string,
  documentId: string,
): Promise<AnnotationRow[]> {
  const annotations = await readAnnotationColumns(tx, seminarId, documentId);
  const comments = await readCommentColumns(tx, seminarId, documentId);
  const reactions = await readReactionColumns(tx, seminarId, documentId);
  return assembleAnnotationRows(annotations, comments, reactions);
}

/** The live annotations of a reading, by creation (the first of {@link readAnnotationRows}' queries). */
export function readAnnotationColumns(tx: Tx, seminarId: string, documentId: string) {
  return tx.$queryRaw<AnnotationColumns[]>`
    SELECT a."id", a."seminarId", a."documentId", a."kind"::text AS "kind", a."authorId",
           a."categoryId", a."anchorStart", a."anchorEnd", a."quoteExact", a."quotePrefix",
           a."quoteSuffix", a."positionStart", a."positionEnd", a."pinned", a."resolvedAt",
           a."createdAt", a."updatedAt", a."deletedAt",
           author."name" AS "authorName", resolver."name" AS "resolvedByName"
      FROM "Annotation" a
      JOIN "User" author ON author."id" = a."authorId"
      LEFT JOIN "User" resolver ON resolver."id" = a."resolvedById"
     WHERE a."seminarId" = ${seminarId} AND a."documentId" = ${documentId} AND a."deletedAt" IS NULL
     ORDER BY a."createdAt", a."id"`;
}

/** Their comments, by creation. */
export function readCommentColumns(tx: Tx, seminarId: string, documentId: string) {
  return tx.$queryRaw<CommentColumns[]>`
    SELECT c."id", c."annotationId", c."parentId", c."authorId", c."body", c."createdAt",
           c."editedAt", c."deletedAt", c."hiddenAt", author."name" AS "authorName"
      FROM "Comment" c
      JOIN "Annotation" a ON a."id" = c."annotationId"
      JOIN "User" author ON author."id" = c."authorId"
     WHERE a."seminarId" = ${seminarId} AND a."documentId" = ${documentId} AND a."deletedAt" IS NULL
     ORDER BY c."createdAt", c."id"`;
}

/** The comments' reactions, by creation. */
export function readReactionColumns(tx: Tx, seminarId: string, documentId: string) {
  return tx.$queryRaw<ReactionColumns[]>`
    SELECT r."commentId", r."kind"::text AS "kind", r."userId", reactor."name" AS "userName"
      FROM "Reaction" r
      JOIN "Comment" c ON c."id" = r."commentId"
      JOIN "Annotation" a ON a."id" = c."annotationId"
      JOIN "User" reactor ON reactor."id" = r."userId"
     WHERE a."seminarId" = ${seminarId} AND a."documentId" = ${documentId} AND a."deletedAt" IS NULL
     ORDER BY r."createdAt", r."commentId", r."userId", r."kind"`;
}

/**
 * The three queries' rows as {@link ANNOTATION_SELECT} would have read them. Each object is
 * built field by field: copying the query's rows with spreads made objects several times
 * larger (~60 MB of an export's ~350 MB of allocations at 10,000 threads).
 */
export function assembleAnnotationRows(
  annotations: AnnotationColumns[],
  comments: CommentColumns[],
  reactions: ReactionColumns[],
): AnnotationRow[] {
  type Comment = AnnotationRow["comments"][number];
  const reactionsByComment = new Map<string, Comment["reactions"]>();
  for (const reaction of reactions) {
    const row = { kind: reaction.kind, userId: reaction.userId, user: { name: reaction.userName } };
    const list = reactionsByComment.get(reaction.commentId);
    if (list) list.push(row);
    else reactionsByComment.set(reaction.commentId, [row]);
  }
  const commentsByAnnotation = new Map<string, Comment[]>();
  for (const comment of comments) {
    const row: Comment = {
      id: comment.id,
      parentId: comment.parentId,
      authorId: comment.authorId,
      body: comment.body,
      createdAt: comment.createdAt,
      editedAt: comment.editedAt,
      deletedAt: comment.deletedAt,
      hiddenAt: comment.hiddenAt,
      author: { name: comment.authorName },
      reactions: reactionsByComment.get(comment.id) ?? [],
    };
    const list = commentsByAnnotation.get(comment.annotationId);
    if (list) list.push(row);
    else commentsByAnnotation.set(comment.annotationId, [row]);
  }
  return annotations.map((annotation) => ({
    id: annotation.id,
    seminarId: annotation.seminarId,
    documentId: annotation.documentId,
    kind: annotation.kind,
    authorId: annotation.authorId,
    categoryId: annotation.categoryId,
    anchorStart: annotation.anchorStart,
    anchorEnd: annotation.anchorEnd,
    quoteExact: annotation.quoteExact,
    quotePrefix: annotation.quotePrefix,
    quoteSuffix: annotation.quoteSuffix,
    positionStart: annotation.positionStart,
    positionEnd: annotation.positionEnd,
    pinned: annotation.pinned,
    resolvedAt: annotation.resolvedAt,
    createdAt: annotation.createdAt,
    updatedAt: annotation.updatedAt,
    deletedAt: annotation.deletedAt,
    author: { name: annotation.authorName },
    resolvedBy: annotation.resolvedByName === null ? null : { name: annotation.resolvedByName },
    comments: commentsByAnnotation.get(annotation.id) ?? [],
  }));
}

/** A category as rooms hold it. */
export function presentCategory(row: ProjectedCategory): ProjectedCategory {
  return { id: row.id, name: row.name, color: row.color, position: row.position };
}

/** The annotation as rooms hold it. */
export function presentAnnotation(row: AnnotationRow, roles: Map<string, Role>): ProjectedAnnotation {
  return {
    id: row.id,
    kind: row.kind,
    authorId: row.authorId,
    authorName: row.author.name,
    authorRole: roles.get(row.authorId) ?? null,
    categoryId: row.categoryId,
    anchor: anchorFromRow(row),
    pinned: row.pinned,
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    resolvedByName: row.resolvedBy?.name ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A comment as rooms hold it; a hidden or deleted one keeps its place, not its words. */
export function presentComment(
  annotationId: string,
  comment: AnnotationRow["comments"][number],
  roles: Map<string, Role>,
): ProjectedComment {
  const isGone = comment.deletedAt !== null || comment.hiddenAt !== null;
  return {
    id: comment.id,
    annotationId,
    parentId: comment.parentId,
    authorId: comment.authorId,
    authorName: comment.author.name,
    authorRole: roles.get(comment.authorId) ?? null,
    body: isGone ? null : comment.body,
    createdAt: comment.createdAt.toISOString(),
    editedAt: comment.editedAt?.toISOString() ?? null,
    deletedAt: comment.deletedAt?.toISOString() ?? null,
    hiddenAt: comment.hiddenAt?.toISOString() ?? null,
    // A hidden or deleted comment keeps no reactions either (they stay stored for when it is shown again).
    reactions: isGone ? NO_REACTIONS : groupReactions(comment.reactions),
    // Who reacted is shown by name, to the members who receive the ids anyway (docs/adr/0022).
    reactorNames: isGone ? {} : nameReactors(comment.reactions),
  };
}
