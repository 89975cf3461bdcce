import type { ThreadKind } from "@/lib/shared/annotations/threads";
import { db } from "../db";
import { requireSeminar } from "../policies/require";
import type { Actor } from "../policies";
import { getPostFirstGate } from "../post-first/get-post-first-gate";

/** Threads the reading page shows before its seminar room has synced. */
export const FIRST_THREADS_LIMIT = 6;

/** A thread as the margin's preview shows it (read-only, from the rows). */
export type ThreadPreview = {
  id: string;
  kind: Exclude<ThreadKind, "NOTE">;
  /** The passage as it was annotated. */
  quote: string;
  author: { name: string; isInstructor: boolean };
  /** The category's name and colour, when it has one. */
  category: { name: string; color: string } | null;
  pinned: boolean;
  /** The thread's first comment as plain text; null when it has none, or it is hidden. */
  firstComment: { authorName: string; text: string | null; isHidden: boolean } | null;
  /** Comments after the first (deleted ones not counted). */
  replyCount: number;
};

/**
 * The first open shared threads of a reading in the order of the text (by
 * where each was anchored), for the margin to show while the seminar room is
 * still syncing: with 10,000 annotations the room takes seconds to arrive and
 * be read, and the reader saw an empty margin until then (issue 12,
 * docs/adr/0015). The margin's default filter applies (open threads,
 * everyone's); a student who must post first gets none (their own view room
 * decides what they see, docs/adr/0019), and a hidden comment shows as
 * hidden to everyone here (instructors read it once the room is there).
 */
export async function findFirstThreads(
  actor: Actor,
  seminarId: string,
  documentId: string,
  limit = FIRST_THREADS_LIMIT,
): Promise<ThreadPreview[]> {
  const access = await requireSeminar(actor, seminarId);
  const gate = await getPostFirstGate(seminarId, documentId, access.actor.userId);
  if (gate.isLocked) return [];
  const [rows, instructors] = await Promise.all([
    db.annotation.findMany({
      where: { seminarId, documentId, deletedAt: null, resolvedAt: null },
      orderBy: [{ positionStart: "asc" }, { createdAt: "asc" }],
      take: limit,
      select: {
        id: true,
        kind: true,
        authorId: true,
        quoteExact: true,
        pinned: true,
        author: { select: { name: true } },
        category: { select: { name: true, color: true } },
        comments: {
          where: { deletedAt: null },
          orderBy: { createdAt: "asc" },
          select: { bodyText: true, hiddenAt: true, author: { select: { name: true } } },
        },
      },
    }),
    db.membership.findMany({ where: { seminarId, role: "INSTRUCTOR" }, select: { userId: true } }),
  ]);
  const isInstructor = new Set(instructors.map((membership) => membership.userId));
  return rows.map((row) => {
    const [first, ...replies] = row.comments;
    return {
      id: row.id,
      kind: row.kind,
      quote: row.quoteExact,
      author: { name: row.author.name, isInstructor: isInstructor.has(row.authorId) },
      category: row.category,
      pinned: row.pinned,
      firstComment: first
        ? {
            authorName: first.author.name,
            text: first.hiddenAt ? null : first.bodyText,
            isHidden: first.hiddenAt !== null,
          }
        : null,
      replyCount: replies.length,
    };
  });
}
