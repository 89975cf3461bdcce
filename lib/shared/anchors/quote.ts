/**
 * W3C TextQuoteSelectors over a document's plain text (text-index.ts), and
 * finding a quote again after the text changed.
 *
 * Matching follows the Hypothesis client's `match-quote`: every candidate is
 * scored on how closely it reproduces the quote, how well the text around it
 * agrees with the stored prefix and suffix, and how near it lies to where the
 * quote was; the best candidate above a threshold wins. Exact occurrences come
 * first; only when none of them has convincing context do approximate
 * matches (Myers' algorithm, `approx-string-match`) compete.
 */
import search from "approx-string-match";

/** A W3C TextQuoteSelector. */
export type TextQuote = {
  /** The quoted text. */
  exact: string;
  /** Up to {@link QUOTE_CONTEXT_LENGTH} characters before it. */
  prefix: string;
  /** Up to {@link QUOTE_CONTEXT_LENGTH} characters after it. */
  suffix: string;
};

/** Where a quote was found. */
export type QuoteMatch = {
  /** Plain-text offset of the match's first character. */
  start: number;
  /** Plain-text offset just after its last character. */
  end: number;
  /** 0…1: how well quote, context and position agree (see {@link matchQuote}). */
  score: number;
  /** Edits (insertions, deletions, substitutions) between the quote and the matched text. */
  errors: number;
};

/** Tuning of {@link matchQuote}. */
export type QuoteMatchOptions = {
  /** Share of the quote's length that an approximate match may get wrong. */
  maxErrorRate: number;
  /** Errors an approximate match may always have, however short the quote. */
  minMaxErrors: number;
  /** Quotes shorter than this are only matched exactly (two errors in "Mexico" is another word). */
  minFuzzyLength: number;
  /** Lowest score accepted; below it the quote is not found. */
  minScore: number;
  /** Score from which the best exact occurrence wins without looking for approximate ones. */
  confidentScore: number;
  /** How far (in characters, beyond the quote's own length) around the hint approximate matches are also sought. */
  hintRadius: number;
};

/** Characters of context stored on each side of a quote. */
export const QUOTE_CONTEXT_LENGTH = 32;

/**
 * Defaults of {@link matchQuote}. With the weights below an exact quote in
 * the wrong context scores about 0.55 and is accepted (like Hypothesis); a
 * match with a fifth of the quote wrong needs about half of its context to
 * agree.
 */
export const QUOTE_MATCH_DEFAULTS: QuoteMatchOptions = {
  maxErrorRate: 0.2,
  minMaxErrors: 2,
  minFuzzyLength: 10,
  minScore: 0.5,
  confidentScore: 0.9,
  hintRadius: 1000,
};

// Weights of the score's parts, as in Hypothesis' match-quote.
const QUOTE_WEIGHT = 50;
const PREFIX_WEIGHT = 20;
const SUFFIX_WEIGHT = 20;
const POSITION_WEIGHT = 2;
const TOTAL_WEIGHT = QUOTE_WEIGHT + PREFIX_WEIGHT + SUFFIX_WEIGHT + POSITION_WEIGHT;

/** The quote of plain-text offsets `startOffset…endOffset`, with its context. */
export function quoteAt(index: { text: string }, startOffset: number, endOffset: number): TextQuote {
  const { text } = index;
  const start = clamp(startOffset, 0, text.length);
  const end = clamp(endOffset, start, text.length);
  let prefixStart = Math.max(0, start - QUOTE_CONTEXT_LENGTH);
  let suffixEnd = Math.min(text.length, end + QUOTE_CONTEXT_LENGTH);
  // Never cut a surrogate pair in half at the context's outer edges.
  if (prefixStart > 0 && isLowSurrogate(text.charCodeAt(prefixStart))) prefixStart += 1;
  if (suffixEnd < text.length && isLowSurrogate(text.charCodeAt(suffixEnd))) suffixEnd -= 1;
  return {
    exact: text.slice(start, end),
    prefix: text.slice(prefixStart, start),
    suffix: text.slice(end, suffixEnd),
  };
}

/**
 * Finds a quote in `text`, preferring matches near `hintOffset` (where the
 * quote used to start). Returns the best match, or null when none scores at
 * least `minScore`.
 */
export function matchQuote(
  text: string,
  quote: TextQuote,
  hintOffset?: number,
  options: Partial<QuoteMatchOptions> = {},
): QuoteMatch | null {
  const settings = { ...QUOTE_MATCH_DEFAULTS, ...options };
  const { exact } = quote;
  if (exact.length === 0 || text.length === 0) return null;
  const hint = hintOffset !== undefined && Number.isFinite(hintOffset) ? hintOffset : undefined;
  const score = (start: number, end: number, errors: number): QuoteMatch => ({
    start,
    end,
    errors,
    score: scoreMatch(text, quote, start, end, errors, hint),
  });

  let best: QuoteMatch | null = null;
  const consider = (match: QuoteMatch) => {
    if (!best || isBetter(match, best, hint)) best = match;
  };
  for (let at = text.indexOf(exact); at !== -1; at = text.indexOf(exact, at + 1)) {
    consider(score(at, at + exact.length, 0));
  }
  const bestExact = best as QuoteMatch | null;
  const isFuzzyAllowed = exact.length >= settings.minFuzzyLength;
  const maxErrors = Math.max(settings.minMaxErrors, Math.floor(exact.length * settings.maxErrorRate));
  if (isFuzzyAllowed && (!bestExact || bestExact.score < settings.confidentScore)) {
    // Myers' search keeps only the matches with the fewest errors in the
    // searched text, so also search windows around the hint, narrow then
    // wide: a close paraphrase where the quote was, with its context intact,
    // beats a closer copy of the quote elsewhere.
    const windows: [number, number][] = bestExact ? [] : [[0, text.length]];
    if (hint !== undefined) {
      for (const radius of [QUOTE_CONTEXT_LENGTH, settings.hintRadius]) {
        const from = clamp(hint - radius - maxErrors, 0, text.length);
        const to = clamp(hint + exact.length + radius + maxErrors, from, text.length);
        if (from < to && !windows.some(([a, b]) => a === from && b === to)) windows.push([from, to]);
      }
    }
    for (const [from, to] of windows) {
      for (const m of search(text.slice(from, to), exact, maxErrors)) {
        consider(score(from + m.start, from + m.end, m.errors));
      }
    }
  }
  let result = best as QuoteMatch | null;
  if (result && result.errors > 0) {
    const snapped = snapToWords(text, quote, result);
    if (snapped.start !== result.start || snapped.end !== result.end) {
      const cap = maxErrors + 2 * MAX_WORD_SNAP;
      const errors = editDistance(text.slice(snapped.start, snapped.end), exact, cap);
      result = score(snapped.start, snapped.end, errors);
    }
  }
  return result && result.score >= settings.minScore ? result : null;
}

/**
 * Scores the text at `start…end` as a match of the quote, as {@link matchQuote}
 * scores its candidates (edit distances past twice the allowed errors count
 * as that much).
 */
export function scoreQuoteAt(
  text: string,
  quote: TextQuote,
  start: number,
  end: number,
  hintOffset?: number,
): QuoteMatch {
  const { exact } = quote;
  const cap =
    2 *
    Math.max(QUOTE_MATCH_DEFAULTS.minMaxErrors, Math.ceil(exact.length * QUOTE_MATCH_DEFAULTS.maxErrorRate));
  const errors = editDistance(text.slice(start, end), exact, cap);
  return { start, end, errors, score: scoreMatch(text, quote, start, end, errors, hintOffset) };
}

/** The edit distance of two strings, or `max + 1` once it is certain to exceed `max` (O(max · length)). */
export function editDistance(a: string, b: string, max: number): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  // Ukkonen's band: only cells within `max` of the diagonal can stay ≤ max;
  // everything outside it reads as max + 1.
  const outside = max + 1;
  let previous = new Array<number>(b.length + 1).fill(outside);
  let current = new Array<number>(b.length + 1).fill(outside);
  for (let j = 0; j <= Math.min(b.length, max); j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const lo = Math.max(1, i - max);
    const hi = Math.min(b.length, i + max);
    // The cell left of the band holds a value from two rows ago: reset it.
    current[lo - 1] = lo === 1 && i <= max ? i : outside;
    let rowMin = current[lo - 1] as number;
    for (let j = lo; j <= hi; j++) {
      const substitution =
        (previous[j - 1] as number) + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1);
      const cell = Math.min(
        substitution,
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        outside,
      );
      current[j] = cell;
      if (cell < rowMin) rowMin = cell;
    }
    if (rowMin > max) return outside;
    [previous, current] = [current, previous];
  }
  return Math.min(previous[b.length] as number, outside);
}

/** Weighted agreement of quote, prefix, suffix and position, in 0…1. */
function scoreMatch(
  text: string,
  quote: TextQuote,
  start: number,
  end: number,
  errors: number,
  hint: number | undefined,
): number {
  const quoteScore = Math.max(0, 1 - errors / quote.exact.length);
  const prefixScore = contextScore(
    text.slice(Math.max(0, start - quote.prefix.length), start),
    quote.prefix,
    start === 0,
  );
  const suffixScore = contextScore(
    text.slice(end, end + quote.suffix.length),
    quote.suffix,
    end === text.length,
  );
  const positionScore = hint === undefined ? 1 : 1 - Math.min(1, Math.abs(start - hint) / text.length);
  return (
    (QUOTE_WEIGHT * quoteScore +
      PREFIX_WEIGHT * prefixScore +
      SUFFIX_WEIGHT * suffixScore +
      POSITION_WEIGHT * positionScore) /
    TOTAL_WEIGHT
  );
}

/**
 * How well the text beside a match agrees with the stored context. An empty
 * context means the quote touched the edge of the text: full marks there,
 * half elsewhere (it says little).
 */
function contextScore(actual: string, expected: string, isAtEdge: boolean): number {
  if (expected.length === 0) return isAtEdge ? 1 : 0.5;
  if (actual === expected) return 1;
  if (actual.length === 0) return 0;
  const matches = search(actual, expected, expected.length);
  const errors = matches.length > 0 ? Math.min(...matches.map((m) => m.errors)) : expected.length;
  return Math.max(0, 1 - errors / expected.length);
}

/** Longest piece of a word that {@link snapToWords} adds at either end. */
const MAX_WORD_SNAP = 16;
const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/**
 * An approximate match may begin or end inside a word where the quote began
 * or ended at a word's edge: when the first letter of the quote was retyped,
 * dropping it costs Myers' search no more than keeping it. Grow such an end
 * to the edge of its word, as the reader's selection was.
 */
function snapToWords(text: string, quote: TextQuote, match: QuoteMatch): { start: number; end: number } {
  const isWord = (char: string | undefined) => char !== undefined && WORD_CHARACTER.test(char);
  const { exact, prefix, suffix } = quote;
  let { start, end } = match;
  const didStartAtWordEdge = isWord(exact[0]) && !isWord(prefix[prefix.length - 1]);
  if (didStartAtWordEdge && isWord(text[start]) && isWord(text[start - 1])) {
    let s = start;
    while (s > 0 && start - s < MAX_WORD_SNAP && isWord(text[s - 1])) s--;
    if (!isWord(text[s - 1])) start = s;
  }
  const didEndAtWordEdge = isWord(exact[exact.length - 1]) && !isWord(suffix[0]);
  if (didEndAtWordEdge && isWord(text[end - 1]) && isWord(text[end])) {
    let e = end;
    while (e < text.length && e - end < MAX_WORD_SNAP && isWord(text[e])) e++;
    if (!isWord(text[e])) end = e;
  }
  return { start, end };
}

/** Higher score wins; on a tie, the one nearer the hint, then the earlier one. */
function isBetter(a: QuoteMatch, b: QuoteMatch, hint: number | undefined): boolean {
  if (a.score !== b.score) return a.score > b.score;
  if (hint !== undefined) {
    const da = Math.abs(a.start - hint);
    const db = Math.abs(b.start - hint);
    if (da !== db) return da < db;
  }
  if (a.errors !== b.errors) return a.errors < b.errors;
  return a.start < b.start || (a.start === b.start && a.end > b.end);
}

function clamp(value: number, lo: number, hi: number): number {
  return Math.min(Math.max(Number.isFinite(value) ? Math.trunc(value) : lo, lo), hi);
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
