"use client";

/**
 * What a margin card can do to its thread. Shared threads go through the
 * API (their change comes back through the seminar room); private notes are
 * written into the reader's notes room (private-notes.ts).
 */
import { useMemo } from "react";
import type * as Y from "yjs";
import type { Thread, ThreadComment } from "@/lib/shared/annotations/threads";
import type { CommentBody } from "@/lib/shared/comments/comment-body";
import { patchAnnotation, patchComment, removeAnnotation, removeComment } from "./api";
import { deletePrivateNote, editPrivateNote } from "./private-notes";
import { failureMessage, type AnnotationWrites } from "./use-annotation-writes";
import type { LoadOptions } from "./use-thread-bodies";

/** What a margin card can ask for; each promise resolves when committed and rejects with a message to show. */
export type ThreadActions = {
  /** Replies in a shared thread. */
  reply: (thread: Thread, body: CommentBody) => Promise<void>;
  /** Rewrites a comment, or a private note's words. */
  editComment: (thread: Thread, comment: ThreadComment, body: CommentBody) => Promise<void>;
  /** Deletes a comment, or a private note. */
  deleteComment: (thread: Thread, comment: ThreadComment) => Promise<void>;
  /** Hides or shows a comment (moderation). */
  hideComment: (thread: Thread, comment: ThreadComment, hidden: boolean) => Promise<void>;
  /** Resolves or reopens a thread. */
  resolve: (thread: Thread, resolved: boolean) => Promise<void>;
  /** Pins or unpins a thread. */
  pin: (thread: Thread, pinned: boolean) => Promise<void>;
  /** Deletes a thread, or a private note. */
  deleteThread: (thread: Thread) => Promise<void>;
  /** Sends a failed new thread again. */
  retry: (thread: Thread) => void;
  /** Drops a failed new thread. */
  discard: (thread: Thread) => void;
  /** Loads a shared thread's full body (the room carries its first comment only) and keeps it current. */
  loadThread: (thread: Thread) => Promise<void>;
};

/** The margin's actions, over the reader's shared writes and their notes room. */
export function useThreadActions(
  writes: AnnotationWrites,
  notesDoc: Y.Doc,
  loadThread: (id: string, options?: LoadOptions) => Promise<void>,
): ThreadActions {
  const { reply, retry, discard } = writes;
  return useMemo<ThreadActions>(
    () => ({
      async reply(thread, body) {
        // The room carries the first comment only: the writer's reply shows once the body has it.
        await reply(thread, body, () => loadThread(thread.id, { fresh: true }));
      },
      async loadThread(thread) {
        if (thread.layer === "seminar" && thread.status === "committed")
          await loadThread(thread.id, { version: thread.summary?.version ?? null });
      },
      async editComment(thread, comment, body) {
        if (thread.layer === "private") {
          editPrivateNote(notesDoc, thread.id, body);
          return;
        }
        await patchComment(comment.id, { body }).catch((failure: unknown) => {
          throw new Error(failureMessage(failure));
        });
      },
      async deleteComment(thread, comment) {
        if (thread.layer === "private") {
          deletePrivateNote(notesDoc, thread.id);
          return;
        }
        await removeComment(comment.id);
      },
      async hideComment(_thread, comment, hidden) {
        await patchComment(comment.id, { hidden });
      },
      async resolve(thread, resolved) {
        await patchAnnotation(thread.id, { resolved });
      },
      async pin(thread, pinned) {
        await patchAnnotation(thread.id, { pinned });
      },
      async deleteThread(thread) {
        if (thread.layer === "private") {
          deletePrivateNote(notesDoc, thread.id);
          return;
        }
        await removeAnnotation(thread.id);
      },
      retry,
      discard,
    }),
    [reply, retry, discard, notesDoc, loadThread],
  );
}
