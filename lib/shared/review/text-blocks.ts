/**
 * The text blocks of a reading (title, paragraphs, quoted paragraphs, notes)
 * with their plain-text ranges, counted exactly as lib/shared/anchors/text-index.ts
 * counts (blocks in document order, one "\n" between them), so that a thread's
 * plain-text position tells which block it is in.
 */
import type { Node as PMNode } from "@tiptap/pm/model";
import type { BlockSegment, ParagraphActivity } from "./review-types";

/** One text block. */
export type TextBlock = {
  /** 0-based, in document order. */
  index: number;
  kind: ParagraphActivity["kind"];
  /** "Paragraph 4", "Paragraph 9 (block quote)", "Note 2", "Title". */
  label: string;
  /** Plain-text offset of its first character. */
  textStart: number;
  /** Plain-text offset just after its last character. */
  textEnd: number;
  /** Its inline content, for rendering without HTML. */
  segments: BlockSegment[];
};

const FIXED_LABELS: Record<string, string> = { title: "Title", byline: "Byline", source: "Source" };

function segmentsOf(node: PMNode): BlockSegment[] {
  const segments: BlockSegment[] = [];
  node.forEach((child) => {
    if (child.isText && child.text) {
      const italic = child.marks.some((mark) => mark.type.name === "italic");
      const bold = child.marks.some((mark) => mark.type.name === "bold");
      segments.push({ text: child.text, ...(italic ? { italic } : {}), ...(bold ? { bold } : {}) });
    } else if (child.type.name === "footnoteReference") {
      segments.push({ noteRef: Number(child.attrs.number) });
    }
  });
  return segments;
}

/** Lists the text blocks of a document in the reading schema. */
export function listTextBlocks(doc: PMNode): TextBlock[] {
  const blocks: TextBlock[] = [];
  let length = 0;
  let paragraphs = 0;
  doc.descendants((node, _pos, parent) => {
    if (!node.isTextblock) return true;
    if (blocks.length > 0) length += 1; // the "\n" between blocks
    const textStart = length;
    node.forEach((child) => {
      if (child.isText && child.text) length += child.text.length;
    });
    let kind: TextBlock["kind"];
    let label: string;
    const fixed = FIXED_LABELS[node.type.name];
    if (fixed) {
      kind = node.type.name as TextBlock["kind"];
      label = fixed;
    } else if (parent?.type.name === "footnote") {
      kind = "note";
      label = `Note ${String(parent.attrs.number)}`;
    } else {
      paragraphs += 1;
      kind = parent?.type.name === "blockquote" ? "quote" : "paragraph";
      label = kind === "quote" ? `Paragraph ${paragraphs} (block quote)` : `Paragraph ${paragraphs}`;
    }
    blocks.push({
      index: blocks.length,
      kind,
      label,
      textStart,
      textEnd: length,
      segments: segmentsOf(node),
    });
    return false;
  });
  return blocks;
}

/** The index of the block holding plain-text offset `offset` (the "\n" after a block counts in it); null before the first. */
export function blockIndexAt(blocks: TextBlock[], offset: number): number | null {
  let low = 0;
  let high = blocks.length - 1;
  let found: number | null = null;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const block = blocks[middle] as TextBlock;
    if (block.textStart <= offset) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}
