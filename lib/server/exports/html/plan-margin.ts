/**
 * How much of each thread fits beside its paragraph in the annotated copy's
 * wide screen layout, estimated on the server (the file has no script): which
 * notes go in the margin, how far down, and where a long one is cut to
 * continue below the paragraph. The PDF measures for real instead
 * (pdf/layout-pages.ts).
 */
import type { Node as PMNode } from "@tiptap/pm/model";
import type { ExportComment, ExportThread } from "../load-export-data";
import { commentUnits, MAX_REPLY_INDENT, type CommentUnit } from "./notes";
import { HIDDEN_FROM_STUDENTS, isShownHidden } from "../thread-presentation";

// Rough metrics of the wide screen layout (18px serif over 34rem, notes in
// 12px sans over 17.5rem). Only used to keep a long thread from opening a
// gap of several screens in the text; the estimate may be off by a line or two.
const TEXT_CHARS_PER_LINE = 64;
const TEXT_LINE_PX = 29;
const NOTE_CHARS_PER_LINE = 42;
const NOTE_LINE_PX = 17.7;
const NOTE_CHROME_PX = 48;
const COMMENT_CHROME_PX = 26;
/** A passage's notes may run this much below the paragraph before the rest continues under it. */
const MARGIN_OVERRUN_PX = 140;
const MIN_MARGIN_BUDGET_PX = 360;

function linesOf(text: string, perLine: number): number {
  return text.split("\n").reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / perLine)), 0);
}

function estimateCommentPx(comment: ExportComment, depth: number): number {
  const perLine = NOTE_CHARS_PER_LINE - Math.min(depth, MAX_REPLY_INDENT) * 3;
  const text =
    comment.isDeleted || (comment.isHidden && comment.body === null)
      ? "Hidden"
      : isShownHidden(comment)
        ? `${HIDDEN_FROM_STUDENTS}\n${comment.text}`
        : comment.text;
  return COMMENT_CHROME_PX + linesOf(text, perLine) * NOTE_LINE_PX;
}

function estimateUnitPx(unit: CommentUnit): number {
  return (
    estimateCommentPx(unit.comment, 0) +
    unit.replies.reduce((sum, reply) => sum + estimateCommentPx(reply, 1), 0)
  );
}

/** Characters per line and line height of a kind of block (the essay's notes are set smaller). */
type BlockMetrics = { charsPerLine: number; linePx: number };
const TEXT_METRICS: BlockMetrics = { charsPerLine: TEXT_CHARS_PER_LINE, linePx: TEXT_LINE_PX };
export const FOOTNOTE_METRICS: BlockMetrics = { charsPerLine: 70, linePx: 23 };

/** Where a note sits beside its paragraph on a wide screen. */
export type MarginPlace = {
  /** Comment units shown in the margin; undefined when the whole thread is. */
  split?: number;
  /** Space above the note, so that it starts near its passage's line (estimated), px. */
  offsetPx: number;
};

/**
 * Which notes go beside the paragraph, how far down, and where long ones are
 * cut. `offsetOf` estimates how far down the paragraph a thread's passage
 * starts, px.
 */
export function planMargin(
  threads: ExportThread[],
  blockPx: number,
  offsetOf: (thread: ExportThread) => number,
): Map<string, MarginPlace> {
  const budget = Math.max(blockPx + MARGIN_OVERRUN_PX, MIN_MARGIN_BUDGET_PX);
  // Never lower than two lines above the paragraph's end: the estimate may be long.
  const lowest = Math.max(0, blockPx - 2 * TEXT_LINE_PX);
  const plan = new Map<string, MarginPlace>();
  let used = 0;
  for (const thread of threads) {
    const offsetPx = Math.round(Math.max(0, Math.min(offsetOf(thread), lowest) - used));
    used += offsetPx;
    const { units } = commentUnits(thread.comments);
    const sizes = units.map(estimateUnitPx);
    const total = NOTE_CHROME_PX + sizes.reduce((sum, size) => sum + size, 0);
    if (used + total <= budget || units.length <= 1) {
      plan.set(thread.id, { offsetPx });
      used += total;
      continue;
    }
    // At least the first comment stays beside the passage.
    let shown = 1;
    let height = NOTE_CHROME_PX + (sizes[0] as number);
    while (shown < units.length - 1 && used + height + (sizes[shown] as number) <= budget) {
      height += sizes[shown] as number;
      shown += 1;
    }
    plan.set(thread.id, { split: shown, offsetPx });
    used += height;
  }
  return plan;
}

/** A block's estimated height, and how far down it a thread's passage starts, px. */
export type BlockEstimate = { px: number; offsetOf: (thread: ExportThread) => number };

/** The block's estimated height, and how far down it a thread's passage starts, for {@link planMargin}. */
export function blockEstimate(doc: PMNode, node: PMNode, pos: number, metrics = TEXT_METRICS): BlockEstimate {
  return {
    px: linesOf(node.textContent, metrics.charsPerLine) * metrics.linePx,
    offsetOf: (thread: ExportThread) => {
      const from = thread.range?.from ?? pos;
      const before = from > pos ? doc.textBetween(pos, Math.min(from, pos + node.nodeSize), "\n") : "";
      return Math.floor(before.length / metrics.charsPerLine) * metrics.linePx;
    },
  };
}
