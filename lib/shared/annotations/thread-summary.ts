/**
 * The seminar room's lean threads (docs/adr/0027): a room carries each thread's
 * first comment and a summary of the others; the full body loads on demand. The
 * server builds both from the same presented comments, so the version a room
 * carries and the version the thread route answers agree whenever both are current.
 */
import { findTags } from "../comments/comment-body";
import { readCommentBody } from "../comments/read-comment-body";
import type { ProjectedAnnotation, ProjectedComment, ThreadSummary } from "./types";

/** How many of a thread's comments (oldest first) a room carries; the rest load on demand. */
export const ROOM_COMMENTS_PER_THREAD = 1;

/** The summary of a thread's comments (oldest first) as one reader may see them. */
export function summarizeThread(comments: readonly ProjectedComment[]): ThreadSummary {
  const tags = new Set<string>();
  for (const comment of comments)
    if (comment.body !== null && comment.body !== undefined)
      for (const tag of findTags(readCommentBody(comment.body))) tags.add(tag);
  const last = comments[comments.length - 1];
  return {
    commentCount: comments.length,
    tags: [...tags],
    version: versionOf(comments),
    lastAuthorId: last?.authorId ?? null,
    lastAuthorName: last?.authorName ?? null,
  };
}

/** The comments a room carries of a thread: its first {@link ROOM_COMMENTS_PER_THREAD}. */
export function roomComments<T>(comments: readonly T[]): T[] {
  return comments.slice(0, ROOM_COMMENTS_PER_THREAD);
}

/**
 * A short digest of the comments as presented (two 32-bit multiplicative hashes, FNV-1a
 * and a second prime, with the count). Not a security measure: it only tells an open
 * card that its thread changed. Derived from the content rather than counted in a row,
 * so every projection (seminar room, each view room, the route) computes the same value
 * without a schema change. Keys are sorted first: Postgres' jsonb does not keep the order
 * a body was written in.
 */
export function versionOf(comments: readonly ProjectedComment[]): string {
  const text = canonicalJson(comments);
  let first = 0x811c9dc5;
  let second = 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    first = Math.imul(first ^ code, 0x01000193);
    second = Math.imul(second ^ code, 0x5bd1e995);
  }
  return `${comments.length}.${(first >>> 0).toString(36)}.${(second >>> 0).toString(36)}`;
}

/**
 * What a room holds of one thread, given every comment its readers may see (oldest
 * first): the annotation with its summary, and the comments it carries.
 */
export function toRoomEntries(
  annotation: ProjectedAnnotation,
  comments: readonly ProjectedComment[],
): { annotation: ProjectedAnnotation; comments: ProjectedComment[] } {
  return {
    annotation: { ...annotation, thread: summarizeThread(comments) },
    comments: roomComments(comments),
  };
}

/** JSON with every object's keys sorted, so equal values give equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
