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
  type ProjectedCategory,
} from "./types";
import { findTags, type CommentBody } from "../comments/comment-body";
import { readCommentBody } from "../comments/read-comment-body";
import type * as Y from "yjs";
import { ROOT_TYPES } from "../rooms";

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

/** Shared threads from the seminar room. */
export function readSeminarThreads(seminarDoc: Y.Doc): Thread[] {
  const commentsByAnnotation = new Map<string, ThreadComment[]>();
  for (const value of seminarDoc.getMap<unknown>(ROOT_TYPES.comments).values()) {
    const comment = parseOr(ZProjectedComment, value);
    if (!comment) continue;
    const list = commentsByAnnotation.get(comment.annotationId) ?? [];
    list.push({
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
    });
    commentsByAnnotation.set(comment.annotationId, list);
  }
  const threads: Thread[] = [];
  for (const value of seminarDoc.getMap<unknown>(ROOT_TYPES.annotations).values()) {
    const annotation = parseOr(ZProjectedAnnotation, value);
    if (!annotation) continue;
    threads.push({
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
      comments: (commentsByAnnotation.get(annotation.id) ?? []).sort((a, b) =>
        a.createdAt.localeCompare(b.createdAt),
      ),
      status: "committed",
    });
  }
  return threads;
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
 */
export function threadTags(thread: Thread): string[] {
  const tags = new Set<string>();
  for (const comment of thread.comments)
    if (comment.body) for (const tag of findTags(comment.body)) tags.add(tag);
  return [...tags];
}
