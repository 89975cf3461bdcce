"use client";

/**
 * The reading page's writes to the shared layer, as the Hypothesis client
 * keeps its annotations service apart from its components: new threads and
 * replies show at once (pending), are sent to the API, and are forgotten once
 * the seminar room holds them; a refused thread stays, failed, for retry or
 * discard. Components call these and render `pending` through useThreads.
 */
import { useCallback, useEffect, useState } from "react";
import type * as Y from "yjs";
import type { StoredAnchor } from "@/lib/shared/anchors/anchor";
import type { AnnotationKind } from "@/lib/shared/annotations/types";
import type { Thread, ThreadComment } from "@/lib/shared/annotations/threads";
import type { CommentBody } from "@/lib/shared/comments/comment-body";
import { ROOT_TYPES } from "@/lib/shared/rooms";
import { followDocChanges } from "../doc-changes";
import { postAnnotation, postComment } from "./api";
import {
  newPendingComment,
  newPendingThread,
  NO_PENDING_WRITES,
  reducePendingWrites,
  type PendingWriteEvent,
  type PendingWrites,
} from "./pending-writes";

/** A failure as a sentence to show (ApiError carries the server's message). */
export function failureMessage(failure: unknown): string {
  return failure instanceof Error ? failure.message : "That did not work. Try again.";
}

/** What useAnnotationWrites offers. */
export type AnnotationWrites = {
  /** Writes not yet in the seminar room, for useThreads. */
  pending: PendingWrites;
  /** Starts a shared thread on a passage; `body` is its first comment (none for a highlight). */
  createThread: (input: {
    id: string;
    kind: AnnotationKind;
    anchor: StoredAnchor;
    categoryId: string | null;
    body: CommentBody | null;
  }) => void;
  /**
   * Replies in a shared thread; rejects with the server's message, the reply withdrawn.
   * Once committed, `afterCommit` runs (loading the thread's body) before the pending copy goes.
   */
  reply: (thread: Thread, body: CommentBody, afterCommit?: () => Promise<void>) => Promise<void>;
  /** Sends a failed thread again, with the same id (the API is idempotent on it). */
  retry: (thread: Thread) => void;
  /** Drops a failed thread. */
  discard: (thread: Thread) => void;
};

/** The reader's writes to the seminar's shared layer of one reading. */
export function useAnnotationWrites(options: {
  seminarId: string;
  documentId: string;
  /** The seminar room, where committed writes appear. */
  seminarDoc: Y.Doc;
  /** The reader as the author of what they write now (the server stores the role it knows). */
  author: ThreadComment["author"];
}): AnnotationWrites {
  const { seminarId, documentId, seminarDoc, author } = options;
  const [pending, setPending] = useState<PendingWrites>(NO_PENDING_WRITES);
  // A state updater rather than useReducer: when the reducer returns the same
  // state (a room update that commits nothing of ours), React skips the render.
  const dispatch = useCallback(
    (event: PendingWriteEvent) => setPending((current) => reducePendingWrites(current, event)),
    [],
  );

  // Forget pending writes once their room holds them (checked as the room changes).
  useEffect(() => {
    const annotations = seminarDoc.getMap(ROOT_TYPES.annotations);
    const comments = seminarDoc.getMap(ROOT_TYPES.comments);
    return followDocChanges(seminarDoc, () => dispatch({ type: "room-changed", annotations, comments }));
  }, [seminarDoc, dispatch]);

  const send = useCallback(
    (thread: Thread, body: CommentBody | null) => {
      dispatch({ type: "thread-sent", thread });
      postAnnotation(seminarId, documentId, {
        id: thread.id,
        kind: thread.kind as AnnotationKind,
        categoryId: thread.categoryId,
        anchor: thread.anchor,
        ...(body ? { body, commentId: thread.comments[0]?.id } : {}),
      }).catch((failure: unknown) => {
        dispatch({ type: "thread-failed", thread, error: failureMessage(failure) });
      });
    },
    [seminarId, documentId, dispatch],
  );

  const createThread = useCallback<AnnotationWrites["createThread"]>(
    ({ id, kind, anchor, categoryId, body }) => {
      const comment = body ? { ...newPendingComment(author, body), isPending: true } : null;
      send(newPendingThread({ id, kind, anchor, categoryId, author, comment }), body);
    },
    [author, send],
  );

  const reply = useCallback(
    async (thread: Thread, body: CommentBody, afterCommit?: () => Promise<void>) => {
      const comment = newPendingComment(author, body);
      dispatch({ type: "reply-sent", annotationId: thread.id, comment });
      try {
        await postComment(thread.id, { id: comment.id, body });
      } catch (failure) {
        // The composer keeps the words; the optimistic reply goes.
        dispatch({ type: "reply-failed", id: comment.id });
        throw new Error(failureMessage(failure));
      }
      if (!afterCommit) return;
      // A reply the room will not carry (not a thread's first comment) stays shown as ours
      // until the thread's body holds it; if that load fails the room's count still tells.
      await afterCommit().catch(() => undefined);
      dispatch({ type: "reply-landed", id: comment.id });
    },
    [author, dispatch],
  );

  const retry = useCallback((thread: Thread) => send(thread, thread.comments[0]?.body ?? null), [send]);
  const discard = useCallback(
    (thread: Thread) => dispatch({ type: "thread-discarded", id: thread.id }),
    [dispatch],
  );

  return { pending, createThread, reply, retry, discard };
}
