/**
 * The seminar room is a projection of Postgres rows (docs/architecture.md §2): these
 * functions write the rows' current state into the room's Y.Doc inside the
 * transaction that changed them (lib/server/realtime/write-server-room.ts).
 * Only what every member may see goes in: a hidden or deleted comment keeps
 * its place but not its words.
 */
import type * as Y from "yjs";
import type {
  ProjectedAnnotation,
  ProjectedCategory,
  ProjectedComment,
} from "@/lib/shared/annotations/types";
import { ROOT_TYPES, roomName } from "@/lib/shared/rooms";
import type { Tx } from "../db";
import { writeServerRoom } from "./write-server-room";
import { anchorFromRow } from "../annotations/anchor-bytes";

type Role = "INSTRUCTOR" | "STUDENT";

/** Sets `map[key] = value` unless it already holds an equal value (no needless tombstones). */
function setIfChanged(map: Y.Map<unknown>, key: string, value: unknown) {
  if (JSON.stringify(map.get(key)) !== JSON.stringify(value)) map.set(key, value);
}

async function rolesOf(tx: Tx, seminarId: string): Promise<Map<string, Role>> {
  const memberships = await tx.membership.findMany({
    where: { seminarId },
    select: { userId: true, role: true },
  });
  return new Map(memberships.map((membership) => [membership.userId, membership.role]));
}

const ANNOTATION_SELECT = {
  id: true,
  seminarId: true,
  documentId: true,
  kind: true,
  authorId: true,
  categoryId: true,
  anchorStart: true,
  anchorEnd: true,
  quoteExact: true,
  quotePrefix: true,
  quoteSuffix: true,
  positionStart: true,
  positionEnd: true,
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
    },
  },
} as const;

type AnnotationRow = Awaited<ReturnType<typeof loadAnnotation>>;

function loadAnnotation(tx: Tx, annotationId: string) {
  return tx.annotation.findUniqueOrThrow({ where: { id: annotationId }, select: ANNOTATION_SELECT });
}

function presentAnnotation(row: AnnotationRow, roles: Map<string, Role>): ProjectedAnnotation {
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

function presentComment(
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
  };
}

/** Writes one annotation and its comments (or their removal, when it is deleted) into the room. */
export async function projectAnnotation(tx: Tx, doc: Y.Doc, annotationId: string, roles?: Map<string, Role>) {
  const row = await loadAnnotation(tx, annotationId);
  const annotations = doc.getMap<unknown>(ROOT_TYPES.annotations);
  const comments = doc.getMap<unknown>(ROOT_TYPES.comments);
  const seminarRoles = roles ?? (await rolesOf(tx, row.seminarId as string));
  doc.transact(() => {
    if (row.deletedAt) {
      annotations.delete(row.id);
      for (const comment of row.comments) comments.delete(comment.id);
      return;
    }
    setIfChanged(annotations, row.id, presentAnnotation(row, seminarRoles));
    for (const comment of row.comments)
      setIfChanged(comments, comment.id, presentComment(row.id, comment, seminarRoles));
  });
}

/** Writes the seminar's categories into the room (removing deleted ones). */
export async function projectCategories(tx: Tx, doc: Y.Doc, seminarId: string) {
  const rows = await tx.category.findMany({ where: { seminarId }, orderBy: { position: "asc" } });
  const categories = doc.getMap<unknown>(ROOT_TYPES.categories);
  doc.transact(() => {
    const ids = new Set(rows.map((row) => row.id));
    for (const key of [...categories.keys()]) if (!ids.has(key)) categories.delete(key);
    for (const row of rows) {
      const value: ProjectedCategory = {
        id: row.id,
        name: row.name,
        color: row.color,
        position: row.position,
      };
      setIfChanged(categories, row.id, value);
    }
  });
}

/** Writes everything of a seminar's reading: categories, annotations, comments (a room's first state). */
export async function projectSeminarRoom(tx: Tx, doc: Y.Doc, seminarId: string, documentId: string) {
  await projectCategories(tx, doc, seminarId);
  const roles = await rolesOf(tx, seminarId);
  const rows = await tx.annotation.findMany({
    where: { seminarId, documentId, deletedAt: null },
    select: { id: true },
    orderBy: { createdAt: "asc" },
  });
  for (const row of rows) await projectAnnotation(tx, doc, row.id, roles);
}

/**
 * Runs `write` on the seminar room of a reading in one transaction with the
 * room's update: a room with nothing stored is first filled with the whole projection.
 */
export function writeSeminarRoom<T>(
  seminarId: string,
  documentId: string,
  write: (tx: Tx, doc: Y.Doc) => Promise<T>,
) {
  return writeServerRoom(roomName({ kind: "seminar", seminarId, documentId }), write, {
    seed: (tx, doc) => projectSeminarRoom(tx, doc, seminarId, documentId),
  });
}
