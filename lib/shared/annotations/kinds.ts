/**
 * How each kind of thread is named, in one place: the margin, the review
 * page, the snapshot view and every export say "Guiding question" the same way.
 */
import type { ThreadKind } from "./threads";

/** The name of each kind of thread, as a label or the start of a sentence. */
export const KIND_LABELS: Readonly<Record<ThreadKind, string>> = {
  HIGHLIGHT: "Highlight",
  COMMENT: "Comment",
  GUIDING_QUESTION: "Guiding question",
  NOTE: "Private note",
};
