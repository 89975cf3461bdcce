/**
 * Discussion snapshots (docs/architecture.md §8): named, immutable versions of a seminar's
 * discussion of a reading. Shapes shared by the API, the pages and the server.
 */
import "../validation/zod-in-browsers";
import { z } from "zod";
import { formatDay } from "../dates";
import type { PassageWords } from "../annotations/passage-words";
import type { Thread } from "../annotations/threads";
import type { ReviewCategory } from "./review-types";
import { ZSafeText } from "../validation/text";

/** Take a snapshot. */
export const ZTakeSnapshotRequest = z.object({
  name: ZSafeText("Snapshot name")
    .trim()
    .min(1, "Name the snapshot.")
    .max(120, "Use at most 120 characters."),
});
export type TTakeSnapshotRequest = z.infer<typeof ZTakeSnapshotRequest>;

export { formatDay };

/** The name of the automatic snapshot taken when a reading falls due. */
export function dueSnapshotName(dueAt: Date): string {
  return `Due date · ${formatDay(dueAt)}`;
}

/** A snapshot in a list. */
export type SnapshotSummary = {
  id: string;
  name: string;
  createdAt: string;
  /** Taken at the reading's due date, by the app. */
  automatic: boolean;
  /** Who took it (null for automatic ones, or when that account is gone). */
  author: { id: string; name: string } | null;
  /** Threads it holds. */
  threadCount: number;
};

/** A thread of a snapshot, placed in the current text. */
export type SnapshotThread = Thread & {
  category: ReviewCategory | null;
  /** Plain-text offsets in the current text; null when detached. */
  position: { start: number; end: number } | null;
  /** The text block it starts in ("Paragraph 4"), for readers of the static view. */
  blockLabel: string | null;
  /** Its passage as the text reads now, and the words it was made on when an edit changed them. */
  passage: PassageWords;
};
