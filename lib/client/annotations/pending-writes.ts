/**
 * The reader's writes that the rooms do not hold yet, as a reducer: a new
 * thread or reply shows in the margin at once, marked pending, and is
 * forgotten once the seminar room has it (the server projects every
 * committed write into the room). Pure, so the hook that sends the writes
 * (use-annotation-writes.ts) stays thin.
 */
import type { StoredAnchor } from "@/lib/shared/anchors/anchor";
import type { Thread, ThreadComment } from "@/lib/shared/annotations/threads";
import type { CommentBody } from "@/lib/shared/comments/comment-body";
import { newId } from "./ids";

/** The reader's writes that the rooms do not hold yet. */
export type PendingWrites = {
  /** New threads, by id. */
  threads: Map<string, Thread>;
  /** New replies, by id, with their thread. */
  comments: Map<
    string,
    { annotationId: string; comment: ThreadComment; status: "pending" | "failed"; error?: string }
  >;
};

/** No writes in flight. */
export const NO_PENDING_WRITES: PendingWrites = { threads: new Map(), comments: new Map() };

/** Anything that answers whether it holds an id: a Y.Map of the seminar room, or a Set in tests. */
type HoldsIds = { has: (id: string) => boolean };

/** What happened to a write. */
export type PendingWriteEvent =
  /** A new thread was sent (first time or retry): pending, its last error cleared. */
  | { type: "thread-sent"; thread: Thread }
  /** The server refused a new thread: it stays, failed, with the message, for retry or discard. */
  | { type: "thread-failed"; thread: Thread; error: string }
  /** The reader gave up on a failed thread. */
  | { type: "thread-discarded"; id: string }
  /** A reply was sent. */
  | { type: "reply-sent"; annotationId: string; comment: ThreadComment }
  /** The server refused a reply: it goes (the composer keeps the words). */
  | { type: "reply-failed"; id: string }
  /** A committed reply is in the thread's loaded body (the room carries first comments only, docs/adr/0027). */
  | { type: "reply-landed"; id: string }
  /** The seminar room changed: forget what it now holds (failed threads stay until discarded). */
  | { type: "room-changed"; annotations: HoldsIds; comments: HoldsIds };

function withThread(state: PendingWrites, thread: Thread): PendingWrites {
  return { ...state, threads: new Map(state.threads).set(thread.id, thread) };
}

/** The pending writes after `event`; the same object when nothing changed. */
export function reducePendingWrites(state: PendingWrites, event: PendingWriteEvent): PendingWrites {
  switch (event.type) {
    case "thread-sent":
      return withThread(state, { ...event.thread, status: "pending", error: undefined });
    case "thread-failed":
      return withThread(state, { ...event.thread, status: "failed", error: event.error });
    case "thread-discarded": {
      if (!state.threads.has(event.id)) return state;
      const threads = new Map(state.threads);
      threads.delete(event.id);
      return { ...state, threads };
    }
    case "reply-sent":
      return {
        ...state,
        comments: new Map(state.comments).set(event.comment.id, {
          annotationId: event.annotationId,
          comment: event.comment,
          status: "pending",
        }),
      };
    case "reply-failed":
    case "reply-landed": {
      if (!state.comments.has(event.id)) return state;
      const comments = new Map(state.comments);
      comments.delete(event.id);
      return { ...state, comments };
    }
    case "room-changed": {
      const threads = new Map(
        [...state.threads].filter(([id, thread]) => thread.status === "failed" || !event.annotations.has(id)),
      );
      const comments = new Map([...state.comments].filter(([id]) => !event.comments.has(id)));
      if (threads.size === state.threads.size && comments.size === state.comments.size) return state;
      return { threads, comments };
    }
  }
}

/** A comment the reader has just written, before the server has it. */
export function newPendingComment(author: ThreadComment["author"], body: CommentBody): ThreadComment {
  return {
    id: newId(),
    parentId: null,
    author,
    body,
    createdAt: new Date().toISOString(),
    editedAt: null,
    isDeleted: false,
    isHidden: false,
  };
}

/** A shared thread the reader has just started, before the server has it. */
export function newPendingThread(input: {
  id: string;
  kind: Thread["kind"];
  anchor: StoredAnchor;
  categoryId: string | null;
  author: Thread["author"];
  /** Its first comment, for a comment or guiding question; none for a highlight. */
  comment: ThreadComment | null;
}): Thread {
  const now = new Date().toISOString();
  return {
    id: input.id,
    kind: input.kind,
    layer: "seminar",
    author: input.author,
    categoryId: input.categoryId,
    anchor: input.anchor,
    pinned: false,
    resolvedAt: null,
    resolvedByName: null,
    createdAt: now,
    updatedAt: now,
    comments: input.comment ? [input.comment] : [],
    status: "pending",
  };
}
