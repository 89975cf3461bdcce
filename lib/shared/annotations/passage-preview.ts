/**
 * The first screen's passages as the server reads them from the rows, drawn
 * in the text before the seminar room has synced (issue 12: at 10,000 threads
 * the room takes seconds to arrive, and the text stood bare until then).
 */
import type { JSONContent } from "@tiptap/core";
import { Transform } from "@tiptap/pm/transform";
import type { StoredAnchor } from "@/lib/shared/anchors/anchor";
import { matchQuote } from "@/lib/shared/anchors/quote";
import { buildTextIndex, textOffsetToPos, type TextIndex } from "@/lib/shared/anchors/text-index";
import { getPreviewSchema, type PreviewHighlightAttrs } from "@/lib/shared/schema/preview-highlight";
import { highlightSegments, type PlacedThread } from "./highlight-segments";
import type { Thread, ThreadKind } from "./threads";

/** An open shared thread's passage, without its comments. */
export type PassagePreview = {
  id: string;
  kind: Exclude<ThreadKind, "NOTE">;
  authorName: string;
  /** Its category and the category's colour, when it has one. */
  categoryId: string | null;
  color: string | null;
  createdAt: string;
  anchor: StoredAnchor;
};

/**
 * The passages as threads the annotation layer can draw: what a highlight
 * shows (kind, colour, author, which lies on top) is there; comments, pins
 * and resolution are not, and nothing but the layer reads these.
 */
export function previewThreads(passages: readonly PassagePreview[]): Thread[] {
  return passages.map((passage) => ({
    id: passage.id,
    kind: passage.kind,
    layer: "seminar",
    author: { id: "", name: passage.authorName, role: null },
    categoryId: passage.categoryId,
    anchor: passage.anchor,
    pinned: false,
    resolvedAt: null,
    resolvedByName: null,
    createdAt: passage.createdAt,
    updatedAt: passage.createdAt,
    comments: [],
    status: "committed",
  }));
}

/** Category id → colour, as the passages carry them. */
export function previewColors(passages: readonly PassagePreview[]): Record<string, string> {
  const colors: Record<string, string> = {};
  for (const passage of passages)
    if (passage.categoryId && passage.color) colors[passage.categoryId] = passage.color;
  return colors;
}

/**
 * Where a passage lies in a text the server renders: at its stored offsets
 * when the text there is still the quote, else where the quote is found
 * nearest to them; null when it is not found. (The live page places it by its
 * Yjs positions instead, which follow every edit.)
 */
function placeByQuote(index: TextIndex, anchor: StoredAnchor): { from: number; to: number } | null {
  let { start, end } = anchor.position;
  if (index.text.slice(start, end) !== anchor.quote.exact) {
    const match = matchQuote(index.text, anchor.quote, start);
    if (!match) return null;
    ({ start, end } = match);
  }
  const from = textOffsetToPos(index.runs, start);
  const to = textOffsetToPos(index.runs, end);
  return from !== null && to !== null && from < to ? { from, to } : null;
}

/**
 * The text with the passages drawn in it as `previewHighlight` marks, cut
 * into segments exactly as the live text's decorations are, so the first
 * paint shows the highlights the live page will show. Returns `content` as it
 * was when there is nothing to draw.
 */
export function markPassages(content: JSONContent, passages: readonly PassagePreview[]): JSONContent {
  const schema = getPreviewSchema();
  const type = schema.marks.previewHighlight;
  if (passages.length === 0 || !type) return content;
  const doc = schema.nodeFromJSON(content);
  const index = buildTextIndex(doc);
  const placed: PlacedThread[] = [];
  for (const thread of previewThreads(passages)) {
    const range = placeByQuote(index, thread.anchor);
    if (range) placed.push({ thread, ...range });
  }
  const transform = new Transform(doc);
  for (const segment of highlightSegments(placed, previewColors(passages), { isPreview: true })) {
    const attrs: PreviewHighlightAttrs = {
      class: segment.attrs.class,
      count: segment.attrs["data-count"] ?? null,
      style: segment.attrs.style ?? null,
    };
    transform.addMark(segment.from, segment.to, type.create(attrs));
  }
  return transform.doc.toJSON() as JSONContent;
}
