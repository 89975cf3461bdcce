import type { PassagePreview } from "@/lib/shared/annotations/passage-preview";
import type { ThreadKind } from "@/lib/shared/annotations/threads";
import { db } from "../db";
import { ANCHOR_COLUMNS, anchorFromRow } from "./anchor-bytes";
import { requireSeminar } from "../policies/require";
import type { Actor } from "../policies";
import { getPostFirstGate } from "../post-first/get-post-first-gate";

/** Threads the reading page shows before its seminar room has synced. */
export const FIRST_THREADS_LIMIT = 6;

/**
 * How far into the text the preview's highlights reach (plain-text characters
 * from the start: a screen of an essay is ~3,000), and how many passages at
 * most (one per place a passage begins).
 */
export const FIRST_PASSAGES = { chars: 4_000, limit: 300 } as const;

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

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
  return (await mayPreview(actor, seminarId, documentId)) ? firstThreads(seminarId, documentId, limit) : [];
}

/** Whether the actor may see the preview (a member; a student who must post first may not). */
async function mayPreview(actor: Actor, seminarId: string, documentId: string): Promise<boolean> {
  const access = await requireSeminar(actor, seminarId);
  const gate = await getPostFirstGate(seminarId, documentId, access.actor.userId);
  return !gate.isLocked;
}

async function firstThreads(seminarId: string, documentId: string, limit: number): Promise<ThreadPreview[]> {
  const [rows, instructors] = await readFirstThreadRows(seminarId, documentId, limit);
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

/**
 * The open shared threads whose passages begin near the start of the text
 * (`FIRST_PASSAGES`), in the order of the text: the page draws them as the
 * first screen's highlights before the seminar room has synced, which at
 * 10,000 threads takes seconds (issue 12). Where several begin at the same
 * character only the newest comes (it is the one drawn on top), so the limit
 * covers as much of the screen as it can in a busy discussion (10,000 threads
 * on the essay begin ~7 to a word): a preview shows where the discussion is,
 * and its overlap counts are those of the passages it carries. Same filter
 * and secrecy as `findFirstThreads`; a student who must post first gets none.
 */
export async function findFirstPassages(
  actor: Actor,
  seminarId: string,
  documentId: string,
  reach: { chars: number; limit: number } = FIRST_PASSAGES,
): Promise<PassagePreview[]> {
  return (await mayPreview(actor, seminarId, documentId)) ? firstPassages(seminarId, documentId, reach) : [];
}

async function firstPassages(
  seminarId: string,
  documentId: string,
  reach: { chars: number; limit: number },
): Promise<PassagePreview[]> {
  // The newest thread at each start: a read of two columns, then the chosen rows whole.
  const starts = await readPassageStarts(seminarId, documentId, reach.chars);
  const chosen: string[] = [];
  for (let i = 0; i < starts.length && chosen.length < reach.limit; i++)
    if (i === 0 || starts[i]?.positionStart !== starts[i - 1]?.positionStart)
      chosen.push(starts[i]?.id as string);
  const rows = await readPassageRows(chosen);
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    authorName: row.author.name,
    categoryId: row.categoryId,
    // Drawn into a style attribute: only what a category's colour may be (checked on write too).
    color: row.category && HEX_COLOR.test(row.category.color) ? row.category.color : null,
    createdAt: row.createdAt.toISOString(),
    anchor: anchorFromRow(row),
  }));
}

/** What the reading page draws from the rows before its seminar room has synced. */
export type ReadingPreview = { threads: ThreadPreview[]; passages: PassagePreview[] };

const NO_PREVIEW: ReadingPreview = { threads: [], passages: [] };

/**
 * The margin's first threads and the first screen's passages, for the page's
 * first paint, access checked once; none when a read fails or the actor may
 * not see them (the live page follows anyway).
 */
export async function findReadingPreview(
  actor: Actor,
  seminarId: string,
  documentId: string,
): Promise<ReadingPreview> {
  try {
    if (!(await mayPreview(actor, seminarId, documentId))) return NO_PREVIEW;
    const [threads, passages] = await Promise.all([
      firstThreads(seminarId, documentId, FIRST_THREADS_LIMIT),
      firstPassages(seminarId, documentId, FIRST_PASSAGES),
    ]);
    return { threads, passages };
  } catch {
    return NO_PREVIEW;
  }
}

function readFirstThreadRows(seminarId: string, documentId: string, limit: number) {
  return Promise.all([
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
}

function readPassageStarts(seminarId: string, documentId: string, chars: number) {
  return db.annotation.findMany({
    where: { seminarId, documentId, deletedAt: null, resolvedAt: null, positionStart: { lt: chars } },
    orderBy: [{ positionStart: "asc" }, { createdAt: "desc" }],
    select: { id: true, positionStart: true },
  });
}

function readPassageRows(ids: string[]) {
  return db.annotation.findMany({
    where: { id: { in: ids } },
    orderBy: [{ positionStart: "asc" }, { createdAt: "asc" }],
    select: {
      id: true,
      kind: true,
      categoryId: true,
      createdAt: true,
      ...ANCHOR_COLUMNS,
      author: { select: { name: true } },
      category: { select: { color: true } },
    },
  });
}

/**
 * Runs the preview's queries once for a reading no one has, so Prisma has planned them
 * before the first reader asks: the page waits for them before its first byte, and planning
 * each shape the first time is what a cold request pays for (`warmNewestReading` calls
 * this, for the shapes a reading without threads never asks). Never rejects.
 */
export async function warmPreviewQueries(): Promise<void> {
  const none = "warm-up";
  await Promise.allSettled([
    readFirstThreadRows(none, none, 1),
    readPassageStarts(none, none, 1),
    readPassageRows([none]),
    getPostFirstGate(none, none, none),
  ]);
}
