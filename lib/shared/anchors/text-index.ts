/**
 * The plain text of a document and a stable map between its character
 * offsets and ProseMirror positions. W3C TextPositionSelectors count in this
 * text; TextQuoteSelectors quote it.
 *
 * Rules, kept stable because exported selectors depend on them:
 * - every textblock contributes its text, in document order;
 * - textblocks are separated by one "\n";
 * - inline atoms (footnote references) contribute nothing.
 */
import type { Node as PMNode } from "@tiptap/pm/model";

/** A run of text that lies contiguously in both the plain text and the document. */
export type TextRun = {
  /** Offset of the run's first character in the plain text. */
  textStart: number;
  /** ProseMirror position of the same character. */
  pos: number;
  /** Number of characters (UTF-16 code units) in the run. */
  length: number;
};

/** A document's plain text with its offset map. */
export type TextIndex = {
  /** The plain text. */
  text: string;
  /** Runs in increasing order of both `textStart` and `pos`. */
  runs: TextRun[];
};

/** The offset map in the compact form stored with a document: `[textStart, pos, length, …]`. */
export type StoredOffsetMap = number[];

/** Builds the plain text and offset map of a ProseMirror document. */
export function buildTextIndex(doc: PMNode): TextIndex {
  let text = "";
  const runs: TextRun[] = [];
  let isFirstBlock = true;
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    if (!isFirstBlock) text += "\n";
    isFirstBlock = false;
    node.forEach((child, offset) => {
      if (!child.isText || !child.text) return;
      const childPos = pos + 1 + offset;
      const previous = runs[runs.length - 1];
      // Adjacent text nodes (differently marked) merge into one run.
      if (
        previous &&
        previous.textStart + previous.length === text.length &&
        previous.pos + previous.length === childPos
      ) {
        previous.length += child.text.length;
      } else {
        runs.push({ textStart: text.length, pos: childPos, length: child.text.length });
      }
      text += child.text;
    });
    return false;
  });
  return { text, runs };
}

/** Packs runs into the stored form. */
export function packOffsetMap(runs: TextRun[]): StoredOffsetMap {
  return runs.flatMap((run) => [run.textStart, run.pos, run.length]);
}

/** Unpacks the stored form; throws on a malformed map. */
export function unpackOffsetMap(stored: unknown): TextRun[] {
  if (!Array.isArray(stored) || stored.length % 3 !== 0 || !stored.every((n) => Number.isInteger(n))) {
    throw new Error("Malformed offset map: expected a flat list of integer triples.");
  }
  const runs: TextRun[] = [];
  for (let i = 0; i < stored.length; i += 3) {
    runs.push({
      textStart: stored[i] as number,
      pos: stored[i + 1] as number,
      length: stored[i + 2] as number,
    });
  }
  return runs;
}

/**
 * The ProseMirror position of a plain-text offset. An offset at a run's end
 * maps to the position just after its last character; an offset on a block
 * separator maps to the end of the block before it.
 */
export function textOffsetToPos(runs: TextRun[], offset: number): number | null {
  if (runs.length === 0 || offset < 0) return null;
  let lo = 0;
  let hi = runs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((runs[mid] as TextRun).textStart <= offset) lo = mid;
    else hi = mid - 1;
  }
  const run = runs[lo] as TextRun;
  if (offset < run.textStart) return null;
  if (offset <= run.textStart + run.length) return run.pos + (offset - run.textStart);
  // On a separator or past the end: clamp to the end of this run's block text.
  const last = runs[runs.length - 1] as TextRun;
  if (offset > last.textStart + last.length + 1) return null;
  return run.pos + run.length;
}

/** The plain-text offset of a ProseMirror position (positions between runs snap forward). */
export function posToTextOffset(runs: TextRun[], pos: number): number | null {
  if (runs.length === 0) return null;
  let lo = 0;
  let hi = runs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((runs[mid] as TextRun).pos <= pos) lo = mid;
    else hi = mid - 1;
  }
  const run = runs[lo] as TextRun;
  if (pos < run.pos) return run.textStart;
  if (pos <= run.pos + run.length) return run.textStart + (pos - run.pos);
  const next = runs[lo + 1];
  return next ? next.textStart : run.textStart + run.length;
}
