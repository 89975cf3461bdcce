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

/**
 * A margin card's accessible name: "Comment by Ada on “the passage…”", the quote cut to 60
 * characters. The live card and the server's preview of the first threads name a card alike.
 */
export function describeThreadCard(kind: ThreadKind, authorName: string, quote: string): string {
  const excerpt = quote.length > 60 ? `${quote.slice(0, 57)}…` : quote;
  return `${KIND_LABELS[kind]} by ${authorName} on “${excerpt}”`;
}
