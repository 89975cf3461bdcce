/**
 * "Post first, then see" (docs/adr/0019): on a reading with a gate, a student sees
 * classmates' threads only after writing `required` comments of their own on it.
 * Until then they see what instructors wrote (threads, guiding questions, replies)
 * and what they wrote themselves. One rule, used by the per-person view room, the
 * review page, snapshots and exports, so no path shows more than another.
 */
import "../validation/zod-in-browsers";
import { z } from "zod";

/** Who wrote something, as far as the rule cares. */
export type Writer = { id: string; role: string | null };

/** Whether a locked viewer may see what `writer` wrote. */
export function isVisibleBeforePosting(writer: Writer, viewerId: string): boolean {
  return writer.role === "INSTRUCTOR" || writer.id === viewerId;
}

/**
 * Keeps the threads a locked viewer may see, each with only the comments they may
 * see (a classmate's reply in an instructor's thread stays out too).
 */
export function filterBeforePosting<
  C extends { author: Writer },
  T extends { author: Writer; comments: C[] },
>(threads: T[], viewerId: string): T[] {
  return threads
    .filter((thread) => isVisibleBeforePosting(thread.author, viewerId))
    .map((thread) => ({
      ...thread,
      comments: thread.comments.filter((comment) => isVisibleBeforePosting(comment.author, viewerId)),
    }));
}

/** The gate as the view room carries it (`ROOT_TYPES.gate`) and pages receive it. */
export const ZPostFirstGate = z.object({
  /** Comments the reading asks for before classmates' threads are shown. */
  required: z.number().int().min(0),
  /** Comments the viewer has written on the reading (deleted ones do not count). */
  posted: z.number().int().min(0),
  /** Classmates' threads the viewer does not see yet. */
  hiddenCount: z.number().int().min(0),
  /** True until the viewer has posted enough (always false for instructors and ungated readings). */
  isLocked: z.boolean(),
});
export type PostFirstGate = z.infer<typeof ZPostFirstGate>;

/** The margin's sentence for a locked viewer, e.g. "Post 2 more annotations to see your classmates' 37". */
export function gateMessage(gate: PostFirstGate): string {
  const more = Math.max(1, gate.required - gate.posted);
  const annotations = more === 1 ? "annotation" : "annotations";
  if (gate.hiddenCount === 0)
    return `Post ${more} more ${annotations} to see your classmates' annotations as they arrive`;
  return `Post ${more} more ${annotations} to see your classmates' ${gate.hiddenCount}`;
}
