/**
 * A snapshot's `threads` JSON read back. It was written from
 * `readSeminarThreads` (lib/shared/annotations/threads.ts); parsing it again
 * keeps a row written by an older version, or edited by hand, from breaking
 * the view: an entry that does not fit is left out.
 */
import { z } from "zod";
import { ZStoredAnchor } from "@/lib/shared/anchors/anchor-schema";
import type { Thread } from "@/lib/shared/annotations/threads";
import { readCommentBody } from "@/lib/shared/comments/read-comment-body";

const ZPerson = z.object({ id: z.string(), name: z.string(), role: z.string().nullable() });

const ZSnapshotComment = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  author: ZPerson,
  body: z.unknown().nullable(),
  createdAt: z.string(),
  editedAt: z.string().nullable(),
  isDeleted: z.boolean(),
  isHidden: z.boolean(),
});

const ZSnapshotThread = z.object({
  id: z.string(),
  kind: z.enum(["HIGHLIGHT", "COMMENT", "GUIDING_QUESTION"]),
  author: ZPerson,
  categoryId: z.string().nullable(),
  anchor: ZStoredAnchor,
  pinned: z.boolean(),
  resolvedAt: z.string().nullable(),
  resolvedByName: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  comments: z.array(ZSnapshotComment),
});

/** The threads a snapshot holds (shared ones only: snapshots never hold private notes). */
export function parseSnapshotThreads(value: unknown): Thread[] {
  if (!Array.isArray(value)) return [];
  const threads: Thread[] = [];
  for (const entry of value) {
    const parsed = ZSnapshotThread.safeParse(entry);
    if (!parsed.success) continue;
    threads.push({
      ...parsed.data,
      layer: "seminar",
      status: "committed",
      comments: parsed.data.comments.map((comment) => ({
        ...comment,
        body: comment.body === null || comment.body === undefined ? null : readCommentBody(comment.body),
      })),
    });
  }
  return threads;
}
