import { excerpt } from "@/lib/shared/annotations/passage-words";

/**
 * The words a passage was marked on, under its current words, when an
 * instructor's edit of the text has changed them since: history, kept so a
 * thread written about the old wording still makes sense.
 */
export function OriginalWords({ words, max = 160 }: { words: string | null; max?: number }) {
  if (words === null) return null;
  return <p className="quote-original">Originally “{excerpt(words, max)}”</p>;
}
