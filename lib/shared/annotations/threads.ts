/**
 * Threads as readers see them: shared ones read from the seminar room's
 * projection, private notes from a notes room. The margin (adding the
 * reader's pending writes), exports and snapshots all read rooms this way.
 */
import { NO_REACTIONS, type CommentReactions, type ReactorNames } from "../reactions/reactions";
import type { StoredAnchor } from "../anchors/anchor";
import {
  parseOr,
  ZPrivateNote,
  ZProjectedAnnotation,
  ZProjectedCategory,
  ZProjectedComment,
  ZThreadBody,
  type ProjectedAnnotation,
  type ProjectedCategory,
  type ProjectedComment,
  type ThreadSummary,
} from "./types";
import { findTags, type CommentBody } from "../comments/comment-body";
import { readCommentBody } from "../comments/read-comment-body";
import type * as Y from "yjs";
import { ROOT_TYPES } from "../rooms";
import { decodeRoomEntry } from "./room-entries";

/** A thread kind as the margin shows it. */
export type ThreadKind = "HIGHLIGHT" | "COMMENT" | "GUIDING_QUESTION" | "NOTE";

/** A comment in a thread. */
export type ThreadComment = {
  id: string;
  parentId: string | null;
  author: { id: string; name: string; role: string | null };
  /** Null when deleted or hidden. */
  body: CommentBody | null;
  createdAt: string;
  editedAt: string | null;
  isDeleted: boolean;
  isHidden: boolean;
  /** Who reacted, by kind (shared comments only). */
  reactions?: CommentReactions;
  /** The names of those who reacted, by user id (shared comments only). */
  reactorNames?: ReactorNames;
  /** Not yet committed (optimistic). */
  isPending?: boolean;
};

/** One annotation with its thread. */
export type Thread = {
  id: string;
  kind: ThreadKind;
  /** Shared in the seminar, or the reader's private note. */
  layer: "seminar" | "private";
  author: { id: string; name: string; role: string | null };
  categoryId: string | null;
  anchor: StoredAnchor;
  pinned: boolean;
  resolvedAt: string | null;
  resolvedByName: string | null;
  createdAt: string;
  updatedAt: string;
  comments: ThreadComment[];
  /**
   * What the room says of the thread's comments when it carries only the first
   * (docs/adr/0027); absent for private notes, pending threads and full docs (snapshots).
   */
  summary?: ThreadSummary;
  /** committed: in the room; pending: sent, not yet there; failed: the server said no. */
  status: "committed" | "pending" | "failed";
  /** Why it failed. */
  error?: string;
};

/** Categories of the seminar, in order. */
export function readCategories(seminarDoc: Y.Doc): ProjectedCategory[] {
  const categories: ProjectedCategory[] = [];
  for (const value of seminarDoc.getMap<unknown>(ROOT_TYPES.categories).values()) {
    const category = parseOr(ZProjectedCategory, value);
    if (category) categories.push(category);
  }
  return categories.sort((a, b) => a.position - b.position);
}

/**
 * A seminar-room comment entry (its text, or an object from an older room) as a thread
 * comment, with its thread's id; null if malformed.
 */
function parseComment(value: unknown): { annotationId: string; comment: ThreadComment } | null {
  const comment = parseOr(ZProjectedComment, decodeRoomEntry(value));
  return comment ? { annotationId: comment.annotationId, comment: toThreadComment(comment) } : null;
}

/** A comment entry, checked, as a thread comment. */
function toThreadComment(comment: ProjectedComment): ThreadComment {
  return {
    id: comment.id,
    parentId: comment.parentId,
    author: { id: comment.authorId, name: comment.authorName, role: comment.authorRole },
    body: comment.body === null || comment.body === undefined ? null : readCommentBody(comment.body),
    createdAt: comment.createdAt,
    editedAt: comment.editedAt,
    isDeleted: comment.deletedAt !== null,
    isHidden: comment.hiddenAt !== null,
    reactions: comment.reactions ?? NO_REACTIONS,
    reactorNames: comment.reactorNames ?? {},
  };
}

/** A thread's full body (from `GET /api/annotations/:id/thread`) as thread comments, oldest first. */
export function readThreadBody(value: unknown): { version: string; comments: ThreadComment[] } | null {
  const body = parseOr(ZThreadBody, value);
  if (!body) return null;
  const comments: ThreadComment[] = [];
  for (const entry of body.comments) {
    const parsed = parseComment(entry);
    if (parsed && parsed.annotationId === body.annotationId) comments.push(parsed.comment);
  }
  return { version: body.version, comments: comments.sort(byCreatedAt) };
}

/**
 * A seminar-room annotation entry (its text, or an object from an older room) as a thread
 * without comments; null if malformed.
 */
function parseAnnotation(value: unknown): Omit<Thread, "comments"> | null {
  const annotation = parseOr(ZProjectedAnnotation, decodeRoomEntry(value));
  return annotation ? toThread(annotation) : null;
}

/** An annotation entry, checked, as a thread without comments. */
function toThread(annotation: ProjectedAnnotation): Omit<Thread, "comments"> {
  return {
    id: annotation.id,
    kind: annotation.kind,
    layer: "seminar",
    author: { id: annotation.authorId, name: annotation.authorName, role: annotation.authorRole },
    categoryId: annotation.categoryId,
    anchor: annotation.anchor,
    pinned: annotation.pinned,
    resolvedAt: annotation.resolvedAt,
    resolvedByName: annotation.resolvedByName,
    createdAt: annotation.createdAt,
    updatedAt: annotation.updatedAt,
    ...(annotation.thread ? { summary: annotation.thread } : {}),
    status: "committed",
  };
}

/** How many comments the thread has, including those its room does not carry. */
export function commentCount(thread: Thread): number {
  return Math.max(thread.summary?.commentCount ?? 0, thread.comments.length);
}

/** True when the room carries only part of the thread: the rest loads with its body. */
export function hasUnloadedComments(thread: Thread): boolean {
  return thread.summary !== undefined && thread.summary.commentCount > thread.comments.length;
}

function byCreatedAt(a: ThreadComment, b: ThreadComment): number {
  return a.createdAt.localeCompare(b.createdAt);
}

/** Shared threads from the seminar room. */
export function readSeminarThreads(seminarDoc: Y.Doc): Thread[] {
  return threadsFromEntries(
    seminarDoc.getMap<unknown>(ROOT_TYPES.annotations).values(),
    seminarDoc.getMap<unknown>(ROOT_TYPES.comments).values(),
  );
}

/**
 * Threads from seminar-room entries (annotations and comments as a room holds them), each
 * checked, wherever the entries come from: a room, a snapshot, a thread's body. (Rows the
 * server has just presented go through {@link threadsFromPresented}.)
 */
export function threadsFromEntries(annotations: Iterable<unknown>, comments: Iterable<unknown>): Thread[] {
  return groupThreads(mapDefined(annotations, parseAnnotation), mapDefined(comments, parseComment));
}

/**
 * The same threads from entries the server has just presented from its own rows
 * (`presentAnnotation` / `presentComment`), typed, so not checked again: at 10,000 threads the
 * checks' copies were ~60 MB of an export's allocations. Entries from a room, a snapshot or
 * the network go through {@link threadsFromEntries}.
 */
export function threadsFromPresented(
  annotations: Iterable<ProjectedAnnotation>,
  comments: Iterable<ProjectedComment>,
): Thread[] {
  return groupThreads(
    mapDefined(annotations, toThread),
    mapDefined(comments, (comment) => ({
      annotationId: comment.annotationId,
      comment: toThreadComment(comment),
    })),
  );
}

function groupThreads(
  annotations: Iterable<Omit<Thread, "comments">>,
  comments: Iterable<{ annotationId: string; comment: ThreadComment }>,
): Thread[] {
  const commentsByAnnotation = new Map<string, ThreadComment[]>();
  for (const { annotationId, comment } of comments) {
    const list = commentsByAnnotation.get(annotationId);
    if (list) list.push(comment);
    else commentsByAnnotation.set(annotationId, [comment]);
  }
  const threads: Thread[] = [];
  for (const annotation of annotations) {
    threads.push({
      ...annotation,
      comments: (commentsByAnnotation.get(annotation.id) ?? []).sort(byCreatedAt),
    });
  }
  return threads;
}

/** `f` of each value, leaving out nulls, lazily. */
function* mapDefined<T, U>(values: Iterable<T>, f: (value: T) => U | null): Iterable<U> {
  for (const value of values) {
    const mapped = f(value);
    if (mapped !== null) yield mapped;
  }
}

/** Shared threads kept up to date as the seminar room changes; see {@link createSeminarThreadsReader}. */
export type SeminarThreadsReader = {
  /** The threads now: the same array, and the same thread objects, for what did not change. */
  read(): Thread[];
  /**
   * Parses the entries changed since they were last parsed, for about `budgetMs` at most;
   * true when none is left (then {@link read} only assembles). A caller that must not hold
   * the main thread long calls this in slices, between other work, before reading.
   */
  catchUp(budgetMs: number): boolean;
  /** Observes the room (the reader starts attached; after a detach it re-reads every entry). */
  attach(): void;
  /** Stops observing the room. */
  detach(): void;
};

/** Entries parsed between two looks at the clock while catching up. */
const ENTRIES_PER_CLOCK_READ = 64;

/**
 * Reads the seminar room's threads, re-reading only the entries an update
 * changed (the maps' changed keys), instead of parsing every entry on every
 * update: with thousands of threads a full re-read per update held the
 * reading page's main thread for ~60 ms at a time. Unchanged threads keep
 * their identity, so memoised cards do not re-render.
 *
 * The maps' observers only note which keys changed; parsing waits for
 * {@link SeminarThreadsReader.catchUp} or {@link SeminarThreadsReader.read}.
 * So a large update (a reader's first sync of a 10,000-thread room: 17,500
 * entries) is not parsed inside the task that applies it, and the page can
 * parse it in slices.
 */
export function createSeminarThreadsReader(seminarDoc: Y.Doc): SeminarThreadsReader {
  const annotationMap = seminarDoc.getMap<unknown>(ROOT_TYPES.annotations);
  const commentMap = seminarDoc.getMap<unknown>(ROOT_TYPES.comments);
  const annotations = new Map<string, Omit<Thread, "comments">>();
  const comments = new Map<string, { annotationId: string; comment: ThreadComment }>();
  const commentIdsByAnnotation = new Map<string, Set<string>>();
  const threads = new Map<string, Thread>();
  // Keys changed in the room and not parsed since; then threads to assemble again.
  const changedAnnotations = new Set<string>();
  const changedComments = new Set<string>();
  const dirty = new Set<string>();
  let ordered: Thread[] | null = null;

  const setAnnotation = (key: string) => {
    const annotation = parseAnnotation(annotationMap.get(key));
    if (annotation) annotations.set(key, annotation);
    else annotations.delete(key);
    dirty.add(key);
  };
  const setComment = (key: string) => {
    const previous = comments.get(key);
    if (previous) {
      commentIdsByAnnotation.get(previous.annotationId)?.delete(key);
      dirty.add(previous.annotationId);
    }
    const parsed = parseComment(commentMap.get(key));
    if (!parsed) {
      comments.delete(key);
      return;
    }
    comments.set(key, parsed);
    const ids = commentIdsByAnnotation.get(parsed.annotationId) ?? new Set<string>();
    ids.add(key);
    commentIdsByAnnotation.set(parsed.annotationId, ids);
    dirty.add(parsed.annotationId);
  };
  /** Parses changed keys of one map until `deadline`; true when none is left. */
  const parseChanged = (changed: Set<string>, parse: (key: string) => void, deadline: number) => {
    let sinceClockRead = 0;
    for (const key of changed) {
      changed.delete(key);
      parse(key);
      if (++sinceClockRead === ENTRIES_PER_CLOCK_READ) {
        sinceClockRead = 0;
        if (performance.now() >= deadline) return changed.size === 0;
      }
    }
    return true;
  };
  const catchUp = (budgetMs: number) => {
    const deadline = performance.now() + budgetMs;
    return (
      parseChanged(changedComments, setComment, deadline) &&
      parseChanged(changedAnnotations, setAnnotation, deadline)
    );
  };
  // Every entry, and every entry known that may have left the room while detached.
  const markEverything = () => {
    for (const key of comments.keys()) changedComments.add(key);
    for (const key of annotations.keys()) changedAnnotations.add(key);
    for (const key of commentMap.keys()) changedComments.add(key);
    for (const key of annotationMap.keys()) changedAnnotations.add(key);
  };
  const onAnnotations = (event: Y.YMapEvent<unknown>) => {
    for (const key of event.keysChanged as Set<string>) changedAnnotations.add(key);
  };
  const onComments = (event: Y.YMapEvent<unknown>) => {
    for (const key of event.keysChanged as Set<string>) changedComments.add(key);
  };
  let isAttached = false;
  const attach = () => {
    if (isAttached) return;
    isAttached = true;
    markEverything();
    annotationMap.observe(onAnnotations);
    commentMap.observe(onComments);
  };
  attach();

  return {
    read() {
      catchUp(Number.POSITIVE_INFINITY);
      if (dirty.size === 0 && ordered) return ordered;
      for (const id of dirty) {
        const annotation = annotations.get(id);
        if (!annotation) {
          threads.delete(id);
          continue;
        }
        const list: ThreadComment[] = [];
        for (const commentId of commentIdsByAnnotation.get(id) ?? []) {
          const entry = comments.get(commentId);
          if (entry) list.push(entry.comment);
        }
        threads.set(id, { ...annotation, comments: list.sort(byCreatedAt) });
      }
      dirty.clear();
      ordered = [...threads.values()];
      return ordered;
    },
    catchUp,
    attach,
    detach() {
      if (!isAttached) return;
      isAttached = false;
      annotationMap.unobserve(onAnnotations);
      commentMap.unobserve(onComments);
    },
  };
}

/** Private notes from the reader's notes room. */
export function readPrivateNotes(notesDoc: Y.Doc, me: { id: string; name: string }): Thread[] {
  const threads: Thread[] = [];
  for (const value of notesDoc.getMap<unknown>(ROOT_TYPES.annotations).values()) {
    const note = parseOr(ZPrivateNote, value);
    if (!note) continue;
    const author = { id: me.id, name: me.name, role: null };
    threads.push({
      id: note.id,
      kind: "NOTE",
      layer: "private",
      author,
      categoryId: null,
      anchor: note.anchor,
      pinned: false,
      resolvedAt: null,
      resolvedByName: null,
      createdAt: note.createdAt,
      updatedAt: note.updatedAt,
      comments: [
        {
          id: `${note.id}:body`,
          parentId: null,
          author,
          body: readCommentBody(note.body),
          createdAt: note.createdAt,
          editedAt: note.updatedAt !== note.createdAt ? note.updatedAt : null,
          isDeleted: false,
          isHidden: false,
        },
      ],
      status: "committed",
    });
  }
  return threads;
}

/** Margin filters. */
export type MarginFilter = {
  /** Whose threads. */
  who: "everyone" | "mine" | "instructors";
  /** Show resolved threads. */
  showResolved: boolean;
  /** Categories to show; empty means all. Threads without a category always show. */
  categories: string[];
  /** Show my private notes. */
  showPrivate: boolean;
  /** Only threads with a comment carrying this #tag (stored form); null for any. */
  tag: string | null;
};

/** The default filter: everything open, everyone's. */
export const DEFAULT_FILTER: MarginFilter = {
  who: "everyone",
  showResolved: false,
  categories: [],
  showPrivate: true,
  tag: null,
};

/** True when the thread passes the filter. */
export function isVisible(thread: Thread, filter: MarginFilter, myId: string): boolean {
  if (filter.tag !== null && !threadTags(thread).includes(filter.tag)) return false;
  if (thread.layer === "private") return filter.showPrivate;
  if (!filter.showResolved && thread.resolvedAt) return false;
  if (filter.who === "mine" && thread.author.id !== myId) return false;
  if (filter.who === "instructors" && thread.author.role !== "INSTRUCTOR") return false;
  if (filter.categories.length > 0 && thread.categoryId && !filter.categories.includes(thread.categoryId))
    return false;
  return true;
}

/**
 * The #tags of a thread's comments as this reader has them, each once: a hidden
 * or deleted comment's body is not in the room for them, so neither are its tags.
 * Those of comments the room does not carry come from its summary.
 */
export function threadTags(thread: Thread): string[] {
  const tags = new Set<string>(thread.summary?.tags ?? []);
  for (const comment of thread.comments)
    if (comment.body) for (const tag of findTags(comment.body)) tags.add(tag);
  return [...tags];
}
