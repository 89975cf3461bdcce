/**
 * The rows the review reads for the threads it shows: a reading's shared,
 * undeleted annotations with all their comments, in one query. (The views
 * that only count, participation, grades and the paragraph strip, read the
 * leaner activity-threads.ts.)
 */
import type { Prisma } from "../generated/prisma/client";
import { ANCHOR_COLUMNS } from "../annotations/anchor-bytes";
import { db } from "../db";

const THREAD_ROW_SELECT = {
  id: true,
  kind: true,
  authorId: true,
  categoryId: true,
  ...ANCHOR_COLUMNS,
  pinned: true,
  resolvedAt: true,
  createdAt: true,
  author: { select: { name: true } },
  category: { select: { id: true, name: true, color: true } },
  comments: {
    orderBy: { createdAt: "asc" as const },
    select: {
      id: true,
      authorId: true,
      bodyText: true,
      createdAt: true,
      hiddenAt: true,
      deletedAt: true,
      author: { select: { name: true } },
      _count: { select: { reactions: true } },
    },
  },
} satisfies Prisma.AnnotationSelect;

/** A shared thread as read for review. */
export type ThreadRow = Prisma.AnnotationGetPayload<{ select: typeof THREAD_ROW_SELECT }>;

/** A reading's shared, undeleted threads matching `where`, oldest first. */
export function findThreadRows(
  seminarId: string,
  documentId: string,
  where: Prisma.AnnotationWhereInput = {},
): Promise<ThreadRow[]> {
  return db.annotation.findMany({
    where: { ...where, seminarId, documentId, deletedAt: null },
    orderBy: { createdAt: "asc" },
    select: THREAD_ROW_SELECT,
  });
}

/** A comment of a {@link ThreadRow}. */
export type CommentRow = ThreadRow["comments"][number];

/**
 * A thread's comments split into the one that opened it and the replies,
 * deleted ones left out. Comment threads and guiding questions are created
 * with their opening comment (the oldest, even when since deleted); a
 * highlight has none, so every comment on it is a reply.
 */
export function splitComments(row: ThreadRow): { opening: CommentRow | null; replies: CommentRow[] } {
  const [first, ...rest] = row.comments;
  const hasOpening = row.kind !== "HIGHLIGHT" && first !== undefined;
  const replies = (hasOpening ? rest : row.comments).filter((comment) => comment.deletedAt === null);
  const opening = hasOpening && first.deletedAt === null ? first : null;
  return { opening, replies };
}

/** Words in a text, as a word processor counts them. */
export function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
