/**
 * The words of an annotated passage as every view shows them: the text as it
 * reads now (an instructor may have edited it since the passage was marked)
 * and, when the edit changed them, the words it was made on, kept as history.
 * The stored quote stays what anchoring falls back on (docs/adr/0007); it is
 * shown as the passage only when the passage is gone from the text.
 */

/** A passage's words now, and the words it was made on when those differ. */
export type PassageWords = {
  /** The passage as the text reads now (the stored quote when it is gone from the text). */
  current: string;
  /** The quote the annotation was made on, when an edit of the text changed it; else null. */
  original: string | null;
};

/** Spaces, line breaks and tabs as single spaces, trimmed: how quotes are compared and shown. */
export function flattenWords(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/**
 * The words to show for a passage: `current` is what the text holds between
 * the passage's edges now (null when it is detached, or holds no words).
 */
export function passageWords(current: string | null, stored: string): PassageWords {
  if (current === null || !/\S/.test(current)) return { current: stored, original: null };
  // Most passages read as they were marked: no need to flatten either (the margin asks this of
  // every thread, 10,000 at a time, after each change of the text's layout).
  if (current === stored) return { current, original: null };
  return { current, original: flattenWords(current) === flattenWords(stored) ? null : stored };
}

/** A quote flattened to one line and shortened to about `max` characters, at a word boundary. */
export function excerpt(text: string, max = 160): string {
  const flat = flattenWords(text);
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, "")}…`;
}
