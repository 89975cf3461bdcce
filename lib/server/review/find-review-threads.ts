import { passageWords } from "@/lib/shared/annotations/passage-words";
import { readPrivateNotes, type Thread } from "@/lib/shared/annotations/threads";
import { commentBodyToText, findTags } from "@/lib/shared/comments/comment-body";
import { sortTags } from "@/lib/shared/comments/tags";
import {
  endOfUtcDay,
  matchesSearch,
  startOfUtcDay,
  THREAD_KIND_OF,
  ZReviewQuery,
  type TReviewQuery,
} from "@/lib/shared/review/review-query";
import type {
  ReviewCategory,
  ReviewPerson,
  ReviewResult,
  ReviewRole,
  ReviewThread,
} from "@/lib/shared/review/review-types";
import { roomName } from "@/lib/shared/rooms";
import { threadPath } from "@/lib/shared/urls";
import type { Prisma } from "../generated/prisma/client";
import { db } from "../db";
import { anchorFromRow } from "../annotations/anchor-bytes";
import { loadRoomDoc } from "../realtime/load-room-doc";
import { commentPolicy, seminarPolicy, type Actor } from "../policies";
import { requireSeminar } from "../policies/require";
import { findMatchingThreadIds } from "./find-matching-thread-ids";
import { getPostFirstGate } from "../post-first/get-post-first-gate";
import { filterRowsBeforePosting } from "../post-first/filter-thread-rows";
import { loadCurrentText, type Located } from "./load-current-text";
import { findThreadRows, splitComments, type ThreadRow } from "./thread-rows";
import { parseInput } from "../parse-input";
import { requireReading } from "../seminars/require-reading";
import { findSeminarTags } from "../tags/find-seminar-tags";

/**
 * Every thread of a reading in one list, filtered, searched and sorted
 * (lib/shared/review/review-query.ts). Members see the seminar's shared
 * threads and their own private notes, marked as such; never anyone else's
 * notes (those live in their owner's notes room, which is never read here).
 * Shared threads are filtered and searched in PostgreSQL; the viewer's notes,
 * which only their notes room holds, in memory.
 */
export async function findReviewThreads(
  actor: Actor,
  seminarId: string,
  documentId: string,
  input: unknown,
): Promise<ReviewResult> {
  const access = await requireSeminar(
    actor,
    seminarId,
    seminarPolicy.review,
    "You may not review this reading.",
  );
  const query = parseInput(ZReviewQuery, input ?? {}, { fallback: "Check the filters." });
  const viewerId = access.actor.userId;
  const viewerRole = access.role as NonNullable<typeof access.role>;

  await requireReading(seminarId, documentId, { id: true });

  const [members, categoryRows, viewer] = await Promise.all([
    db.membership.findMany({
      where: { seminarId },
      select: { role: true, user: { select: { id: true, name: true } } },
    }),
    db.category.findMany({
      where: { seminarId },
      orderBy: { position: "asc" },
      select: { id: true, name: true, color: true },
    }),
    db.user.findUniqueOrThrow({ where: { id: viewerId }, select: { id: true, name: true } }),
  ]);
  const roleOf = new Map<string, ReviewRole>(members.map((member) => [member.user.id, member.role]));

  const kind = query.kind ? THREAD_KIND_OF[query.kind] : null;
  // Post first, then see (docs/adr/0019): a student who has not yet posted enough sees only
  // instructors' and their own words; search then runs over those words alone, in memory.
  const gate = await getPostFirstGate(seminarId, documentId, viewerId);
  // A locked viewer's tag filter looks only at the comments they may see (docs/adr/0021).
  const tagWriters = gate.isLocked
    ? [viewerId, ...[...roleOf].filter(([, role]) => role === "INSTRUCTOR").map(([id]) => id)]
    : null;
  const shared =
    kind === "NOTE"
      ? []
      : gate.isLocked
        ? searchRows(
            filterRowsBeforePosting(
              await findSharedThreads(seminarId, documentId, { ...query, q: "" }, roleOf, false, tagWriters),
              roleOf,
              viewerId,
            ),
            query.q,
          )
        : await findSharedThreads(seminarId, documentId, query, roleOf, commentPolicy.readHidden(access));
  const notes =
    kind === null || kind === "NOTE" ? await findOwnNotes(documentId, viewer, viewerRole, query) : [];

  const { located } = await loadCurrentText(documentId, [
    ...shared.map((row) => ({ id: row.id, anchor: anchorFromRow(row) })),
    ...notes.map((note) => ({ id: note.id, anchor: note.anchor })),
  ]);
  const at = (id: string) => located.get(id) ?? null;
  const canReadHidden = commentPolicy.readHidden(access);
  const threads = [
    ...shared.map((row) =>
      presentSharedThread(row, roleOf, at(row.id), seminarId, documentId, canReadHidden),
    ),
    ...notes.map((note) => presentNote(note, viewerRole, at(note.id), seminarId, documentId)),
  ].filter((thread) => query.paragraph === null || thread.blockIndex === query.paragraph);
  sortThreads(threads, query.sort);

  // Choices for the participant filter: members, and anyone who wrote here and has since left.
  const people = new Map<string, ReviewPerson>(
    members.map((member) => [member.user.id, { ...member.user, role: member.role }]),
  );
  for (const row of shared) {
    if (!people.has(row.authorId))
      people.set(row.authorId, { id: row.authorId, name: row.author.name, role: null });
  }
  const tags = await findSeminarTags(actor, seminarId, { documentId });
  return {
    query,
    threads,
    options: {
      participants: [...people.values()].sort((a, b) => a.name.localeCompare(b.name)),
      categories: categoryRows,
      // The chosen tag stays a choice even when nothing visible carries it any more.
      tags: sortTags([...tags.map((tag) => tag.name), ...(query.tag ? [query.tag] : [])]),
    },
    viewer: { id: viewerId, role: viewerRole },
  };
}

async function findSharedThreads(
  seminarId: string,
  documentId: string,
  query: TReviewQuery,
  roleOf: Map<string, ReviewRole>,
  canReadHidden = false,
  /** Whose comments' tags count for the tag filter; null for everyone's. */
  tagWriters: string[] | null = null,
): Promise<ThreadRow[]> {
  const where: Prisma.AnnotationWhereInput[] = [];
  if (query.kind)
    where.push({ kind: THREAD_KIND_OF[query.kind] as "HIGHLIGHT" | "COMMENT" | "GUIDING_QUESTION" });
  if (query.category) where.push({ categoryId: query.category });
  if (query.tag) {
    // Tags of deleted and hidden comments are as unfindable as their words.
    where.push({
      comments: {
        some: {
          tags: { has: query.tag },
          deletedAt: null,
          hiddenAt: null,
          ...(tagWriters ? { authorId: { in: tagWriters } } : {}),
        },
      },
    });
  }
  if (query.status === "open") where.push({ resolvedAt: null });
  if (query.status === "resolved") where.push({ resolvedAt: { not: null } });
  if (query.from) where.push({ createdAt: { gte: startOfUtcDay(query.from) } });
  if (query.to) where.push({ createdAt: { lt: endOfUtcDay(query.to) } });
  if (query.participant) {
    where.push({
      OR: [
        { authorId: query.participant },
        { comments: { some: { authorId: query.participant, deletedAt: null } } },
      ],
    });
  }
  if (query.role) {
    // The author's role in the seminar now (someone who left has none).
    const role = query.role === "instructor" ? "INSTRUCTOR" : "STUDENT";
    where.push({ authorId: { in: [...roleOf].filter(([, r]) => r === role).map(([id]) => id) } });
  }
  if (query.q) {
    const ids = await findMatchingThreadIds(seminarId, documentId, query.q, { includeHidden: canReadHidden });
    where.push({ id: { in: [...ids] } });
  }
  return findThreadRows(seminarId, documentId, { AND: where });
}

/** Rows whose quote or visible words match `q` (all rows when there is no query). */
function searchRows(rows: ThreadRow[], q: string | null): ThreadRow[] {
  if (!q) return rows;
  return rows.filter((row) =>
    matchesSearch(
      [
        row.quoteExact,
        ...row.comments.filter((c) => !c.hiddenAt && !c.deletedAt).map((c) => c.bodyText),
      ].join("\n"),
      q,
    ),
  );
}

/** The viewer's own private notes that pass the filters (read from their notes room only). */
async function findOwnNotes(
  documentId: string,
  viewer: { id: string; name: string },
  viewerRole: "INSTRUCTOR" | "STUDENT",
  query: TReviewQuery,
): Promise<Thread[]> {
  // Filters a note cannot pass: notes have no category, are never resolved,
  // and are written by the viewer alone.
  if (query.category || query.status === "resolved") return [];
  if (query.participant && query.participant !== viewer.id) return [];
  if (query.role && query.role.toUpperCase() !== viewerRole) return [];
  const notesDoc = await loadRoomDoc(roomName({ kind: "notes", documentId, userId: viewer.id }));
  try {
    return readPrivateNotes(notesDoc, viewer).filter((note) => {
      if (query.from && note.createdAt < startOfUtcDay(query.from).toISOString()) return false;
      if (query.to && note.createdAt >= endOfUtcDay(query.to).toISOString()) return false;
      if (query.tag && !noteTags(note).includes(query.tag)) return false;
      if (query.q) {
        const words = `${note.anchor.quote.exact}\n${noteText(note)}`;
        if (!matchesSearch(words, query.q)) return false;
      }
      return true;
    });
  } finally {
    notesDoc.destroy();
  }
}

function presentSharedThread(
  row: ThreadRow,
  roleOf: Map<string, ReviewRole>,
  located: Located | null,
  seminarId: string,
  documentId: string,
  canReadHidden: boolean,
): ReviewThread {
  const { opening, replies } = splitComments(row);
  const live = opening ? [opening, ...replies] : replies;
  const last = live[live.length - 1];
  const category: ReviewCategory | null = row.category;
  const words = passageWords(located?.words ?? null, row.quoteExact);
  return {
    id: row.id,
    kind: row.kind,
    layer: "seminar",
    quote: words.current,
    originalQuote: words.original,
    author: { id: row.authorId, name: row.author.name, role: roleOf.get(row.authorId) ?? null },
    category,
    status: row.resolvedAt ? "resolved" : "open",
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    pinned: row.pinned,
    createdAt: row.createdAt.toISOString(),
    lastActivityAt: (last ? last.createdAt : row.createdAt).toISOString(),
    commentCount: live.length,
    replyCount: replies.length,
    // Reactions to words the viewer can read: hidden comments' reactions are not counted.
    reactionCount: live.reduce((sum, comment) => sum + (comment.hiddenAt ? 0 : comment._count.reactions), 0),
    // Instructors read what they hid (marked hidden on the page); students get no words.
    firstComment: opening
      ? {
          authorName: opening.author.name,
          text: opening.hiddenAt && !canReadHidden ? null : opening.bodyText,
          isHidden: opening.hiddenAt !== null,
        }
      : null,
    position: located ? { start: located.start, end: located.end } : null,
    blockIndex: located?.blockIndex ?? null,
    href: threadPath(seminarId, documentId, row.id),
  };
}

function presentNote(
  note: Thread,
  viewerRole: "INSTRUCTOR" | "STUDENT",
  located: Located | null,
  seminarId: string,
  documentId: string,
): ReviewThread {
  const words = passageWords(located?.words ?? null, note.anchor.quote.exact);
  return {
    id: note.id,
    kind: "NOTE",
    layer: "private",
    quote: words.current,
    originalQuote: words.original,
    author: { ...note.author, role: viewerRole },
    category: null,
    status: "open",
    resolvedAt: null,
    pinned: false,
    createdAt: note.createdAt,
    lastActivityAt: note.updatedAt,
    commentCount: 1,
    replyCount: 0,
    reactionCount: 0,
    firstComment: { authorName: note.author.name, text: noteText(note), isHidden: false },
    position: located ? { start: located.start, end: located.end } : null,
    blockIndex: located?.blockIndex ?? null,
    href: threadPath(seminarId, documentId, note.id),
  };
}

/**
 * A note's words. Its owner's browser wrote the body into their notes room
 * unchecked, so a malformed one reads as no words rather than failing the page.
 */
function noteText(note: Thread): string {
  const body = note.comments[0]?.body;
  try {
    return body ? commentBodyToText(body) : "";
  } catch {
    return "";
  }
}

/** A note's tags (none when its body is malformed, as for {@link noteText}). */
function noteTags(note: Thread): string[] {
  const body = note.comments[0]?.body;
  try {
    return body ? findTags(body) : [];
  } catch {
    return [];
  }
}

/** Sorts in place: reading order (detached last), newest first, or most replies first. */
function sortThreads(threads: ReviewThread[], sort: TReviewQuery["sort"]) {
  const byPosition = (a: ReviewThread, b: ReviewThread) => {
    if (!a.position || !b.position)
      return a.position ? -1 : b.position ? 1 : a.createdAt.localeCompare(b.createdAt);
    return (
      a.position.start - b.position.start ||
      a.position.end - b.position.end ||
      a.createdAt.localeCompare(b.createdAt)
    );
  };
  if (sort === "newest") threads.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || byPosition(a, b));
  else if (sort === "replies") threads.sort((a, b) => b.replyCount - a.replyCount || byPosition(a, b));
  else if (sort === "reactions")
    threads.sort((a, b) => b.reactionCount - a.reactionCount || byPosition(a, b));
  else threads.sort(byPosition);
}
