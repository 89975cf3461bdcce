import { passageWords } from "@/lib/shared/annotations/passage-words";
import { readPrivateNotes, type Thread } from "@/lib/shared/annotations/threads";
import type { StoredAnchor } from "@/lib/shared/anchors/anchor";
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
import { readAnchors } from "../annotations/read-anchors";
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
 * One page of a reading's threads, filtered, searched and sorted
 * (lib/shared/review/review-query.ts), with counts over all that match.
 * Members see the seminar's shared threads and their own private notes,
 * marked as such; never anyone else's notes (those live in their owner's
 * notes room, which is never read here). Shared threads are filtered and
 * searched in PostgreSQL; the viewer's notes, which only their notes room
 * holds, in memory.
 *
 * Only what ordering needs is read for every match (ids, dates, anchors, and
 * comment and reaction counts aggregated in PostgreSQL); the threads of the
 * page alone are read whole. Places in the text come from loadCurrentText's
 * cache, so a discussion of 10,000 threads does not cost 10,000 placements
 * per request (issue 12; `npm run bench -- --only review`).
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

  // What the page needs besides the threads is read side by side with them, in two rounds:
  // what choosing the threads depends on, then the threads' keys beside the rest.
  const [, members, categoryRows, viewer, gate] = await Promise.all([
    requireReading(seminarId, documentId, { id: true }),
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
    // Post first, then see (docs/adr/0019): a student who has not yet posted enough sees only
    // instructors' and their own words; search then runs over those words alone, in memory.
    getPostFirstGate(seminarId, documentId, viewerId),
  ]);
  const roleOf = new Map<string, ReviewRole>(members.map((member) => [member.user.id, member.role]));

  const kind = query.kind ? THREAD_KIND_OF[query.kind] : null;
  // A locked viewer's tag filter looks only at the comments they may see (docs/adr/0021).
  const tagWriters = gate.isLocked
    ? [viewerId, ...[...roleOf].filter(([, role]) => role === "INSTRUCTOR").map(([id]) => id)]
    : null;
  // Instructors read (and find) the words they hid; students neither read nor find them.
  const canReadHidden = commentPolicy.readHidden(access);
  const findShared = async (): Promise<SharedMatches> =>
    kind === "NOTE"
      ? matchesOfRows([])
      : gate.isLocked
        ? matchesOfRows(
            searchRows(
              filterRowsBeforePosting(
                await findSharedThreads(seminarId, documentId, { ...query, q: "" }, roleOf, tagWriters),
                roleOf,
                viewerId,
              ),
              query.q,
            ),
          )
        : findSharedMatches(seminarId, documentId, query, roleOf, canReadHidden);
  const [shared, notes, tags, participants] = await Promise.all([
    findShared(),
    kind === null || kind === "NOTE" ? findOwnNotes(documentId, viewer, viewerRole, query) : [],
    findSeminarTags(actor, seminarId, { documentId }),
    findParticipantChoices(seminarId, documentId, members, gate.isLocked),
  ]);

  const { text, located } = await loadCurrentText(
    documentId,
    notes.map((note) => ({ id: note.id, anchor: note.anchor })),
    { ids: shared.keys.map((key) => key.id), read: shared.readAnchors },
  );
  const at = (id: string) => located.get(id) ?? null;
  const candidates: Candidate[] = [
    ...shared.keys.map((key) =>
      candidate(key.id, "seminar", key.createdAt.toISOString(), shared.countsOf(key.id), at(key.id)),
    ),
    ...notes.map((note) => candidate(note.id, "private", note.createdAt, NOTE_COUNTS, at(note.id))),
  ].filter((entry) => query.paragraph === null || entry.blockIndex === query.paragraph);
  sortThreads(candidates, query.sort);

  const pageCount = Math.max(1, Math.ceil(candidates.length / query.perPage));
  const page = Math.min(query.page, pageCount);
  const onPage = candidates.slice((page - 1) * query.perPage, page * query.perPage);
  const sharedOnPage = onPage.filter((entry) => entry.layer === "seminar").map((entry) => entry.id);
  const rowById = new Map((await shared.rowsOf(sharedOnPage)).map((row) => [row.id, row]));
  const noteById = new Map(notes.map((note) => [note.id, note]));
  const threads = onPage.flatMap((entry): ReviewThread[] => {
    const row = rowById.get(entry.id);
    if (row) return [presentSharedThread(row, roleOf, at(row.id), seminarId, documentId, canReadHidden)];
    const note = noteById.get(entry.id);
    // A thread deleted between the two reads is left out of its page.
    return note ? [presentNote(note, viewerRole, at(note.id), seminarId, documentId)] : [];
  });
  const sharedMatches = candidates.filter((entry) => entry.layer === "seminar");

  return {
    query: { ...query, page },
    threads,
    totals: {
      threads: candidates.length,
      shared: sharedMatches.length,
      comments: sharedMatches.reduce((sum, entry) => sum + entry.commentCount, 0),
    },
    pageCount,
    blockLabels: text.blocks.map((block) => block.label),
    options: {
      participants,
      categories: categoryRows,
      // The chosen tag stays a choice even when nothing visible carries it any more.
      tags: sortTags([...tags.map((tag) => tag.name), ...(query.tag ? [query.tag] : [])]),
    },
    viewer: { id: viewerId, role: viewerRole },
  };
}

/** A thread's counts, which two of the sorts order by. */
type ThreadCounts = Pick<ReviewThread, "commentCount" | "replyCount" | "reactionCount">;
const NO_COUNTS: ThreadCounts = { commentCount: 0, replyCount: 0, reactionCount: 0 };
const NOTE_COUNTS: ThreadCounts = { commentCount: 1, replyCount: 0, reactionCount: 0 };

/** A matching thread as ordering and paging see it, before the page's threads are read whole. */
type Candidate = ThreadCounts & Pick<ReviewThread, "id" | "layer" | "createdAt" | "position" | "blockIndex">;

function candidate(
  id: string,
  layer: ReviewThread["layer"],
  createdAt: string,
  counts: ThreadCounts,
  located: Located | null,
): Candidate {
  return {
    id,
    layer,
    createdAt,
    ...counts,
    position: located ? { start: located.start, end: located.end } : null,
    blockIndex: located?.blockIndex ?? null,
  };
}

/** What ordering a shared thread needs of its row (its place comes from its anchor, read only when not placed yet). */
type KeyRow = { id: string; createdAt: Date };

/** The shared threads that match: their keys and counts, and how to read their anchors or rows. */
type SharedMatches = {
  keys: KeyRow[];
  countsOf: (id: string) => ThreadCounts;
  /** The anchors of these ids. */
  readAnchors: (ids: string[]) => Promise<{ id: string; anchor: StoredAnchor }[]>;
  /** The rows of these ids, in any order. */
  rowsOf: (ids: string[]) => Promise<ThreadRow[]>;
};

/** Matches read lean: keys filtered in PostgreSQL, counts aggregated there, rows read for a page. */
async function findSharedMatches(
  seminarId: string,
  documentId: string,
  query: TReviewQuery,
  roleOf: Map<string, ReviewRole>,
  canReadHidden: boolean,
): Promise<SharedMatches> {
  // The search's matches are intersected here rather than sent back as an `IN` list of
  // thousands of ids (a common word in a 10,000-thread discussion matches most of them).
  const where = await sharedThreadFilters(seminarId, documentId, { ...query, q: "" }, roleOf, {
    canReadHidden,
    tagWriters: null,
  });
  const [rows, matching, counts] = await Promise.all([
    db.annotation.findMany({
      where: { AND: where, seminarId, documentId, deletedAt: null },
      select: { id: true, createdAt: true },
    }),
    query.q ? findMatchingThreadIds(seminarId, documentId, query.q, { includeHidden: canReadHidden }) : null,
    // Replies and reactions are counted for every thread only when the order needs them.
    query.sort === "replies" || query.sort === "reactions"
      ? countThreadActivity(seminarId, documentId)
      : countLiveComments(seminarId, documentId),
  ]);
  const keys = matching ? rows.filter((row) => matching.has(row.id)) : rows;
  return {
    keys,
    countsOf: (id) => counts.get(id) ?? NO_COUNTS,
    readAnchors: (ids) => readAnchors(seminarId, documentId, ids),
    rowsOf: async (ids) =>
      ids.length === 0 ? [] : findThreadRows(seminarId, documentId, { id: { in: ids } }),
  };
}

/** Matches already read whole (a student who must post first: their rows were filtered in memory). */
function matchesOfRows(rows: ThreadRow[]): SharedMatches {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return {
    keys: rows,
    countsOf: (id) => {
      const row = byId.get(id);
      return row ? countsOfRow(row) : NO_COUNTS;
    },
    readAnchors: (ids) =>
      Promise.resolve(
        ids.flatMap((id) => {
          const row = byId.get(id);
          return row ? [{ id, anchor: anchorFromRow(row) }] : [];
        }),
      ),
    rowsOf: (ids) => Promise.resolve(ids.flatMap((id) => byId.get(id) ?? [])),
  };
}

/** A thread's counts from its row: the rules {@link countThreadActivity} applies in PostgreSQL. */
function countsOfRow(row: ThreadRow): ThreadCounts {
  const { opening, replies } = splitComments(row);
  const live = opening ? [opening, ...replies] : replies;
  return {
    commentCount: live.length,
    replyCount: replies.length,
    // Reactions to words the viewer can read: hidden comments' reactions are not counted.
    reactionCount: live.reduce((sum, comment) => sum + (comment.hiddenAt ? 0 : comment._count.reactions), 0),
  };
}

/**
 * Comments, replies and reactions of every shared thread of a reading, by
 * annotation id, counted in PostgreSQL as {@link countsOfRow} counts one
 * thread: deleted comments left out; the oldest comment of a comment thread
 * or guiding question opens it (no reply, even when since deleted); reactions
 * to hidden comments not counted. A thread without comments has no entry.
 */
async function countThreadActivity(
  seminarId: string,
  documentId: string,
): Promise<Map<string, ThreadCounts>> {
  const rows = await db.$queryRaw<({ id: string } & ThreadCounts)[]>`
    SELECT c."annotationId" AS "id",
      (count(*) FILTER (WHERE c."deletedAt" IS NULL))::int AS "commentCount",
      (count(*) FILTER (WHERE c."deletedAt" IS NULL AND NOT (c."n" = 1 AND c."kind" <> 'HIGHLIGHT')))::int
        AS "replyCount",
      (coalesce(sum(c."reactions") FILTER (WHERE c."deletedAt" IS NULL AND c."hiddenAt" IS NULL), 0))::int
        AS "reactionCount"
    FROM (
      SELECT c."annotationId", c."deletedAt", c."hiddenAt", a."kind",
        row_number() OVER (PARTITION BY c."annotationId" ORDER BY c."createdAt", c."id") AS "n",
        coalesce(r."reactions", 0) AS "reactions"
      FROM "Comment" c
      JOIN "Annotation" a ON a."id" = c."annotationId"
      LEFT JOIN (
        SELECT r."commentId", count(*) AS "reactions"
        FROM "Reaction" r
        JOIN "Comment" rc ON rc."id" = r."commentId"
        JOIN "Annotation" ra ON ra."id" = rc."annotationId"
        WHERE ra."seminarId" = ${seminarId} AND ra."documentId" = ${documentId}
        GROUP BY r."commentId"
      ) r ON r."commentId" = c."id"
      WHERE a."seminarId" = ${seminarId} AND a."documentId" = ${documentId} AND a."deletedAt" IS NULL
    ) c
    GROUP BY c."annotationId"`;
  return new Map(rows.map(({ id, ...counts }) => [id, counts]));
}

/**
 * Only the comments of every shared thread (deleted ones left out), for the
 * orders that need no more: the summary's total. Replies and reactions stay
 * 0 here; the page's threads are presented from their rows.
 */
async function countLiveComments(seminarId: string, documentId: string): Promise<Map<string, ThreadCounts>> {
  const rows = await db.$queryRaw<{ id: string; commentCount: number }[]>`
    SELECT c."annotationId" AS "id", count(*)::int AS "commentCount"
    FROM "Comment" c JOIN "Annotation" a ON a."id" = c."annotationId"
    WHERE a."seminarId" = ${seminarId} AND a."documentId" = ${documentId} AND a."deletedAt" IS NULL
      AND c."deletedAt" IS NULL
    GROUP BY c."annotationId"`;
  return new Map(rows.map(({ id, commentCount }) => [id, { commentCount, replyCount: 0, reactionCount: 0 }]));
}

/**
 * Choices for the participant filter: members, and anyone who wrote here and
 * has since left (not for a student who must post first: who else wrote is
 * not theirs to know yet).
 */
async function findParticipantChoices(
  seminarId: string,
  documentId: string,
  members: { role: ReviewRole; user: { id: string; name: string } }[],
  isLocked: boolean,
): Promise<ReviewPerson[]> {
  const people = new Map<string, ReviewPerson>(
    members.map((member) => [member.user.id, { ...member.user, role: member.role }]),
  );
  if (!isLocked) {
    const former = await db.annotation.findMany({
      where: { seminarId, documentId, deletedAt: null, authorId: { notIn: [...people.keys()] } },
      distinct: ["authorId"],
      select: { authorId: true, author: { select: { name: true } } },
    });
    for (const row of former)
      people.set(row.authorId, { id: row.authorId, name: row.author.name, role: null });
  }
  return [...people.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Shared threads that pass the query's filters, read whole (for a student who
 * must post first: their search runs in memory, over the words they may see).
 */
async function findSharedThreads(
  seminarId: string,
  documentId: string,
  query: TReviewQuery,
  roleOf: Map<string, ReviewRole>,
  /** Whose comments' tags count for the tag filter; null for everyone's. */
  tagWriters: string[] | null,
): Promise<ThreadRow[]> {
  return findThreadRows(seminarId, documentId, {
    AND: await sharedThreadFilters(seminarId, documentId, query, roleOf, {
      canReadHidden: false,
      tagWriters,
    }),
  });
}

/** Who the filters read for: whether hidden words are searched, whose tags count (null: everyone's). */
type FilterViewer = { canReadHidden: boolean; tagWriters: string[] | null };

/** The query's filters of shared threads as PostgreSQL conditions (the paragraph is placed after). */
async function sharedThreadFilters(
  seminarId: string,
  documentId: string,
  query: TReviewQuery,
  roleOf: Map<string, ReviewRole>,
  { canReadHidden, tagWriters }: FilterViewer,
): Promise<Prisma.AnnotationWhereInput[]> {
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
  return where;
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
    ...countsOfRow(row),
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

/** Sorts in place: reading order (detached last), newest first, most replies or most reactions first. */
function sortThreads(threads: Candidate[], sort: TReviewQuery["sort"]) {
  const byPosition = (a: Candidate, b: Candidate) => {
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
