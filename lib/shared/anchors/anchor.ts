/**
 * Anchors (docs/architecture.md §3): where an annotation's target lies in the text room,
 * stored so that it survives edits, and found again.
 *
 * An anchor carries three descriptions of the same passage, from the most to
 * the least precise: Yjs relative positions (they follow the characters
 * through any edit, including concurrent ones), the quote with its context
 * (it survives the text being deleted and retyped), and plain-text offsets
 * (a hint where to look for the quote). Resolving tries them in that order;
 * an anchor that none of them places is orphaned, never dropped.
 */
import type { Node as PMNode, Schema } from "@tiptap/pm/model";
import * as Y from "yjs";
import { decodeBase64, encodeBase64 } from "./base64";
import { matchQuote, quoteAt, scoreQuoteAt, type TextQuote } from "./quote";
import { buildTextIndex, posToTextOffset, textOffsetToPos, type TextIndex, type TextRun } from "./text-index";
import { createPositionMapper, type LocatedPosition, type PositionMapper } from "./y-positions";

/** An annotation's target as stored (in Postgres rows, room projections and API bodies). */
export type StoredAnchor = {
  /** Base64 `Y.encodeRelativePosition` of the start; binds to the first character (assoc 0). */
  start: string;
  /** Base64 `Y.encodeRelativePosition` of the end; binds to the last character (assoc -1). */
  end: string;
  /** The quoted plain text with up to 32 characters of context each side (W3C TextQuoteSelector). */
  quote: TextQuote;
  /** Plain-text offsets when the anchor was made (W3C TextPositionSelector). */
  position: { start: number; end: number };
};

/** Where a stored anchor lies in the current text. */
export type AnchorResolution =
  | {
      status: "anchored";
      /** ProseMirror position of the start. */
      from: number;
      /** ProseMirror position of the end (`from < to`). */
      to: number;
      /** What placed it: the relative positions, or a search for the quote. */
      method: "relative" | "quote";
      /** True when the text there is no longer exactly the quote. */
      isQuoteChanged: boolean;
    }
  | {
      /** Nothing places it any more: show it in the margin with its quote. */
      status: "orphaned";
    };

/** Input of {@link createAnchor}. */
export type CreateAnchorInput = {
  /** The text room's document. */
  doc: Y.Doc;
  /** Its text (`ROOT_TYPES.text`). */
  fragment: Y.XmlFragment;
  /** The ProseMirror document of the fragment's current state. */
  pmDoc: PMNode;
  /** The range, in ProseMirror positions. */
  from: number;
  to: number;
  /** Defaults to the schema of `pmDoc`. */
  schema?: Schema;
  /** The text index of `pmDoc`, when the caller has it. */
  index?: TextIndex;
  /** A mapper of the fragment's current state, when the caller has it. */
  mapper?: PositionMapper;
};

/** Input of {@link resolveAnchor}. */
export type ResolveAnchorInput = {
  /** The text room's document. */
  doc: Y.Doc;
  /** Its text (`ROOT_TYPES.text`). */
  fragment: Y.XmlFragment;
  /** The ProseMirror document of the fragment's current state. */
  pmDoc: PMNode;
  /** The anchor; may be malformed (it came over the wire). */
  anchor: StoredAnchor;
  /** The text index of `pmDoc`; pass it when resolving many anchors. */
  index?: TextIndex;
  /** A mapper of the fragment's current state; pass it when resolving many anchors. */
  mapper?: PositionMapper;
};

const ORPHANED: AnchorResolution = { status: "orphaned" };

/** Base64 of a relative position. */
export function encodeRelativePosition(relPos: Y.RelativePosition): string {
  return encodeBase64(Y.encodeRelativePosition(relPos));
}

/** The relative position in base64 text; null when it is not one. */
export function decodeRelativePosition(text: unknown): Y.RelativePosition | null {
  if (typeof text !== "string") return null;
  const bytes = decodeBase64(text);
  if (!bytes || bytes.length === 0) return null;
  try {
    return Y.decodeRelativePosition(bytes);
  } catch {
    return null;
  }
}

/** Makes the anchor of the ProseMirror range `from…to`; throws a RangeError when the range holds no text. */
export function createAnchor({
  doc,
  fragment,
  pmDoc,
  from,
  to,
  schema,
  index,
  mapper,
}: CreateAnchorInput): StoredAnchor {
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > pmDoc.content.size || from >= to) {
    throw new RangeError(`Cannot anchor the range ${from}…${to}: it is empty or outside the document.`);
  }
  const textIndex = index ?? buildTextIndex(pmDoc);
  const startOffset = startOffsetOf(textIndex.runs, from);
  const endOffset = endOffsetOf(textIndex.runs, to);
  if (startOffset === null || endOffset === null || endOffset <= startOffset) {
    throw new RangeError(`Cannot anchor the range ${from}…${to}: it holds no text.`);
  }
  const positions = mapper ?? createPositionMapper(doc, fragment, schema ?? pmDoc.type.schema);
  if (positions.size !== pmDoc.content.size) {
    throw new Error("The ProseMirror document does not match the fragment's current state.");
  }
  return {
    // Start binds right and end binds left, so text typed at either edge
    // stays outside the highlight.
    start: encodeRelativePosition(positions.toRelative(from, 0)),
    end: encodeRelativePosition(positions.toRelative(to, -1)),
    quote: quoteAt(textIndex, startOffset, endOffset),
    position: { start: startOffset, end: endOffset },
  };
}

/**
 * Finds a stored anchor in the current text: by its relative positions when
 * both resolve to a non-empty range (an end whose characters were deleted is
 * corrected by the quote when that fits better), else by its quote near
 * where it was, else orphaned. Never throws.
 */
export function resolveAnchor(input: ResolveAnchorInput): AnchorResolution {
  try {
    return resolve(input);
  } catch {
    return ORPHANED;
  }
}

/**
 * A resolver for many anchors against one document state: builds the text
 * index and position mapper once. Make a new one after every change.
 */
export function createAnchorResolver(input: {
  doc: Y.Doc;
  fragment: Y.XmlFragment;
  pmDoc: PMNode;
  schema?: Schema;
}): (anchor: StoredAnchor) => AnchorResolution {
  const { doc, fragment, pmDoc } = input;
  const index = buildTextIndex(pmDoc);
  let mapper: PositionMapper | undefined;
  try {
    mapper = createPositionMapper(doc, fragment, input.schema ?? pmDoc.type.schema);
  } catch {
    mapper = undefined; // resolveAnchor will try (and fail) again, then fall back to quotes
  }
  return (anchor) => resolveAnchor({ doc, fragment, pmDoc, anchor, index, mapper });
}

function resolve({ doc, fragment, pmDoc, anchor, index, mapper }: ResolveAnchorInput): AnchorResolution {
  const textIndex = index ?? buildTextIndex(pmDoc);
  const { text, runs } = textIndex;
  const quote = readQuote(anchor);
  let hint = readHint(anchor);

  const { start, end } = locateEnds(doc, fragment, pmDoc, anchor, mapper);
  if (start && end && start.pos < end.pos) {
    const startOffset = startOffsetOf(runs, start.pos);
    const endOffset = endOffsetOf(runs, end.pos);
    if (startOffset !== null && endOffset !== null && endOffset > startOffset) {
      const current = text.slice(startOffset, endOffset);
      const relative = { status: "anchored", from: start.pos, to: end.pos, method: "relative" } as const;
      if (!quote || current === quote.exact) return { ...relative, isQuoteChanged: false };
      if (start.isBoundContentDeleted || end.isBoundContentDeleted) {
        const repaired = repairEnds(textIndex, quote, {
          startOffset,
          endOffset,
          from: start.pos,
          to: end.pos,
          isStartLost: start.isBoundContentDeleted,
          isEndLost: end.isBoundContentDeleted,
        });
        if (repaired) return repaired;
      }
      return { ...relative, isQuoteChanged: true };
    }
  }
  // The relative positions died or collapsed; one that resolved still says
  // where the text was, better than the stored offsets after edits before it.
  if (start) hint = startOffsetOf(runs, start.pos) ?? hint;
  else if (end && quote) {
    const endOffset = endOffsetOf(runs, end.pos);
    if (endOffset !== null) hint = Math.max(0, endOffset - quote.exact.length);
  }

  if (!quote) return ORPHANED;
  const match = matchQuote(text, quote, hint);
  if (!match) return ORPHANED;
  const from = textOffsetToPos(runs, match.start);
  const to = endPosOf(runs, match.end);
  if (from === null || to === null || from >= to) return ORPHANED;
  return {
    status: "anchored",
    from,
    to,
    method: "quote",
    isQuoteChanged: text.slice(match.start, match.end) !== quote.exact,
  };
}

/** Both ends, each null when it does not resolve (or cannot be trusted). */
function locateEnds(
  doc: Y.Doc,
  fragment: Y.XmlFragment,
  pmDoc: PMNode,
  anchor: StoredAnchor,
  mapper: PositionMapper | undefined,
): { start: LocatedPosition | null; end: LocatedPosition | null } {
  const none = { start: null, end: null };
  if (!isRecord(anchor)) return none;
  const start = decodeRelativePosition(anchor.start);
  const end = decodeRelativePosition(anchor.end);
  if (!start && !end) return none;
  let positions: PositionMapper;
  try {
    positions = mapper ?? createPositionMapper(doc, fragment, pmDoc.type.schema);
  } catch {
    return none;
  }
  // A mapper of another state than pmDoc's would give positions in the wrong text.
  if (positions.size !== pmDoc.content.size) return none;
  return {
    start: start ? positions.locate(start) : null,
    end: end ? positions.locate(end) : null,
  };
}

/**
 * Replaces the ends whose characters were deleted with the ends of the best
 * nearby match of the quote, when that reproduces the quote better.
 *
 * A deleted character leaves its position where it stood, which is right
 * after a plain deletion but not always after other edits: y-tiptap writes a
 * change to a text run as "delete the old characters, insert the new ones
 * after them", so retyping a highlight's last word leaves its end before the
 * new word; and it writes a paragraph split as "keep one half, recreate the
 * other", which drops the end in the recreated half back to the split.
 */
function repairEnds(
  { text, runs }: TextIndex,
  quote: TextQuote,
  range: {
    startOffset: number;
    endOffset: number;
    from: number;
    to: number;
    isStartLost: boolean;
    isEndLost: boolean;
  },
): AnchorResolution | null {
  const { startOffset, endOffset } = range;
  const { exact } = quote;
  const hint = range.isStartLost && !range.isEndLost ? Math.max(0, endOffset - exact.length) : startOffset;
  const match = matchQuote(text, quote, hint);
  // A match that does not touch the range is another passage.
  if (!match || match.start > endOffset || match.end < startOffset) return null;
  const start = range.isStartLost ? match.start : startOffset;
  const end = range.isEndLost ? match.end : endOffset;
  if (end <= start || (start === startOffset && end === endOffset)) return null;
  // Better only if quote and context agree better: a plain deletion of the
  // first word leaves the start right where it should be, and a fuzzy match
  // that swallows the word before it (closer in edit distance) loses its prefix.
  const current = scoreQuoteAt(text, quote, startOffset, endOffset);
  const repaired = scoreQuoteAt(text, quote, start, end);
  if (repaired.score <= current.score) return null;
  const from = start === startOffset ? range.from : textOffsetToPos(runs, start);
  const to = end === endOffset ? range.to : endPosOf(runs, end);
  if (from === null || to === null || from >= to) return null;
  const isQuoteChanged = text.slice(start, end) !== exact;
  return { status: "anchored", from, to, method: "quote", isQuoteChanged };
}

/** The quote of a possibly malformed anchor, or null. */
function readQuote(anchor: unknown): TextQuote | null {
  if (!isRecord(anchor) || !isRecord(anchor.quote)) return null;
  const { exact, prefix, suffix } = anchor.quote;
  if (typeof exact !== "string" || exact.length === 0) return null;
  return {
    exact,
    prefix: typeof prefix === "string" ? prefix : "",
    suffix: typeof suffix === "string" ? suffix : "",
  };
}

/** The stored start offset of a possibly malformed anchor, or undefined. */
function readHint(anchor: unknown): number | undefined {
  if (!isRecord(anchor) || !isRecord(anchor.position)) return undefined;
  const { start } = anchor.position;
  return typeof start === "number" && Number.isSafeInteger(start) && start >= 0 ? start : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** Plain-text offset where a range starting at `pos` starts (positions between runs snap forward). */
function startOffsetOf(runs: TextRun[], pos: number): number | null {
  return posToTextOffset(runs, pos);
}

/** Plain-text offset where a range ending at `pos` ends (positions between runs snap back). */
function endOffsetOf(runs: TextRun[], pos: number): number | null {
  if (runs.length === 0) return null;
  const k = lastRunWhere(runs, (run) => run.pos <= pos);
  if (k < 0) return 0;
  const run = runs[k] as TextRun;
  return run.textStart + Math.min(pos - run.pos, run.length);
}

/**
 * ProseMirror position where a range ending at plain-text `offset` ends: at a
 * run's end rather than at the next run's start, so a range never swallows a
 * footnote reference that follows it.
 */
function endPosOf(runs: TextRun[], offset: number): number | null {
  const k = lastRunWhere(runs, (run) => run.textStart < offset);
  const run = runs[k];
  if (run && offset <= run.textStart + run.length) return run.pos + (offset - run.textStart);
  return textOffsetToPos(runs, offset);
}

/** Index of the last run satisfying a predicate that holds for a prefix of the runs; -1 for none. */
function lastRunWhere(runs: TextRun[], predicate: (run: TextRun) => boolean): number {
  let lo = 0;
  let hi = runs.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (predicate(runs[mid] as TextRun)) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}
