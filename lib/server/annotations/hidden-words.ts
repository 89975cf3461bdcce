import type { CommentBody } from "@/lib/shared/comments/comment-body";
import { readCommentBody } from "@/lib/shared/comments/read-comment-body";
import type { Thread } from "@/lib/shared/annotations/threads";
import { db } from "../db";

/**
 * The stored words of the comments among `commentIds` that are hidden now (and not
 * deleted), by comment id. Rooms and snapshots carry a hidden comment without its
 * words (docs/adr/0008), so whatever shows them to an instructor reads them here;
 * the caller has checked `commentPolicy.readHidden`.
 */
export async function findHiddenWords(
  commentIds: readonly string[],
): Promise<Map<string, { body: CommentBody; editedAt: string | null }>> {
  if (commentIds.length === 0) return new Map();
  const rows = await db.comment.findMany({
    where: { id: { in: [...commentIds] }, hiddenAt: { not: null }, deletedAt: null },
    select: { id: true, body: true, editedAt: true },
  });
  return new Map(
    rows.map((row) => [
      row.id,
      { body: readCommentBody(row.body), editedAt: row.editedAt?.toISOString() ?? null },
    ]),
  );
}

/**
 * Threads as an instructor reads them: each hidden comment gets back its stored
 * words (still marked hidden). A comment edited since the room or snapshot was
 * written keeps none, so a snapshot never shows words newer than itself.
 */
export async function withHiddenWords(threads: Thread[]): Promise<Thread[]> {
  const hiddenIds = threads.flatMap((thread) =>
    thread.comments.filter((comment) => comment.isHidden && !comment.isDeleted).map((comment) => comment.id),
  );
  const words = await findHiddenWords(hiddenIds);
  if (words.size === 0) return threads;
  return threads.map((thread) => ({
    ...thread,
    comments: thread.comments.map((comment) => {
      const stored = comment.isHidden ? words.get(comment.id) : undefined;
      return stored && stored.editedAt === comment.editedAt ? { ...comment, body: stored.body } : comment;
    }),
  }));
}
