/**
 * `#tags` in comments (docs/adr/0021-tags.md). A tag is a word of letters
 * (any script), digits, `-` and `_`, with at least one letter, at most
 * {@link TAG_LIMITS.maxLength} characters; tags are compared without case, so
 * every tag is stored as its lower-case form ("#Exile" and "#exile" are one tag).
 *
 * The same rules serve the sanitiser (the `tag` node of comment-body.ts), the
 * composer's `#` suggestions, the margin's and the review page's filters.
 */

/** Limits on tags. */
export const TAG_LIMITS = {
  /** Characters of one tag, without the `#`. */
  maxLength: 40,
  /** Different tags in one comment. */
  maxPerComment: 20,
} as const;

/** The messages about tags, for the sanitiser, the review query and tests. */
export const TAG_MESSAGES = {
  invalid: `A tag is letters, digits, - and _, with at least one letter and at most ${TAG_LIMITS.maxLength} characters (#close-reading).`,
  tooMany: `A comment can carry at most ${TAG_LIMITS.maxPerComment} different tags.`,
} as const;

/** The characters of a tag: letters and digits of any script, `-` and `_`. */
const TAG_CHARACTERS = /^[\p{L}\p{M}\p{N}_-]+$/u;
const HAS_LETTER = /\p{L}/u;

/**
 * The stored form of a tag as typed (with or without its `#`): NFC, lower
 * case; null when it is not a tag by the rules above.
 */
export function normalizeTag(input: unknown): string | null {
  if (typeof input !== "string") return null;
  const name = input.replace(/^#/, "").normalize("NFC").toLowerCase();
  if (name.length === 0 || name.length > TAG_LIMITS.maxLength) return null;
  if (!TAG_CHARACTERS.test(name) || !HAS_LETTER.test(name)) return null;
  return name;
}

/** How a tag is shown everywhere: `#name`. */
export function tagLabel(name: string): string {
  return `#${name}`;
}

/** Tags in the order people read them: by name, as the reader's language sorts. */
export function sortTags(tags: Iterable<string>): string[] {
  return [...new Set(tags)].sort((a, b) => a.localeCompare(b));
}

/** A tag of a seminar as the server lists it. */
export type SeminarTag = {
  /** The tag's name (stored form, without `#`). */
  name: string;
  /** Comments the viewer may see that carry it. */
  count: number;
};
