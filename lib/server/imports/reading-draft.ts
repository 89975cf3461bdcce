/**
 * What every format's converter produces — blocks in the reading schema, plus
 * notes keyed by the source's own ids — and the one step that turns it into a
 * checked document: notes numbered in the order they are referenced, verse
 * lines numbered through the text, empty blocks dropped, the whole checked
 * against the schema.
 */
import type { JSONContent } from "@tiptap/core";
import { readingDocFromJSON } from "@/lib/shared/schema/reading-schema";
import { buildReadingHeader } from "@/lib/shared/documents/reading-content";
import type { ConversionResult, ConversionWarning, ConvertedImage, UploadFormat } from "./types";
import { ConversionRefusal } from "./types";

/** A reading on its way from a file to the schema. */
export type ReadingDraft = {
  title: string;
  byline: string;
  source: string;
  date: string | null;
  /** Body blocks. A note reference is `{ type: "footnoteReference", attrs: { ref } }` with the source's id. */
  blocks: JSONContent[];
  /** Note bodies (inline content) by the source's id, in the source's order. */
  notes: Map<string, JSONContent[]>;
  images: ConvertedImage[];
  warnings: ConversionWarning[];
  /** Pages of the source that were marked (PDF pages, EPUB page-list). */
  pages: number;
  chapters?: { title: string; index: number }[];
  /** Title, byline and source nodes to keep exactly (our own text format); otherwise built from the fields. */
  header?: JSONContent[];
  /** Keep white space exactly as given (our own text format: quotes must match the library's). */
  exactSpaces?: boolean;
};

/** A new, empty draft. */
export function newDraft(): ReadingDraft {
  return {
    title: "",
    byline: "",
    source: "",
    date: null,
    blocks: [],
    notes: new Map(),
    images: [],
    warnings: [],
    pages: 0,
  };
}

/** A text node, or nothing for empty text. */
export function textNode(text: string, marks: JSONContent["marks"] = []): JSONContent[] {
  if (!text) return [];
  return [marks && marks.length > 0 ? { type: "text", text, marks } : { type: "text", text }];
}

/** Joins adjacent text nodes with the same marks, collapses white space, trims the ends. */
export function tidyInline(content: JSONContent[], options: { keepSpaces?: boolean } = {}): JSONContent[] {
  const out: JSONContent[] = [];
  for (const node of content) {
    if (node.type !== "text") {
      out.push(node);
      continue;
    }
    const text = options.keepSpaces ? (node.text ?? "") : (node.text ?? "").replace(/[\s\u00a0]+/g, " ");
    const previous = out[out.length - 1];
    if (
      previous?.type === "text" &&
      JSON.stringify(previous.marks ?? []) === JSON.stringify(node.marks ?? [])
    ) {
      previous.text = (previous.text ?? "") + text;
    } else if (text) {
      out.push({ ...node, text });
    }
  }
  if (!options.keepSpaces) {
    // Collapse a space that ends one node and starts the next.
    for (let i = 1; i < out.length; i++) {
      const a = out[i - 1] as JSONContent;
      const b = out[i] as JSONContent;
      if (a.type === "text" && b.type === "text" && a.text?.endsWith(" ") && b.text?.startsWith(" ")) {
        b.text = b.text.slice(1);
      }
    }
    trimEdge(out, "start");
    trimEdge(out, "end");
  }
  return out.filter((node) => node.type !== "text" || node.text);
}

function trimEdge(content: JSONContent[], edge: "start" | "end") {
  const nodes = edge === "start" ? content : [...content].reverse();
  for (const node of nodes) {
    if (node.type !== "text") {
      if (node.type === "pageMarker" || node.type === "footnoteReference") continue;
      return;
    }
    node.text = edge === "start" ? (node.text ?? "").trimStart() : (node.text ?? "").trimEnd();
    if (node.text) return;
  }
}

/** The plain words of some inline content. */
export function inlineText(content: JSONContent[] | undefined): string {
  return (content ?? []).map((node) => (node.type === "text" ? (node.text ?? "") : "")).join("");
}

/** Whether inline content has words in it (not just markers). */
function hasWords(content: JSONContent[] | undefined): boolean {
  return inlineText(content).trim() !== "";
}

/** Turns a draft into a checked conversion result. */
export function finishDraft(draft: ReadingDraft, format: UploadFormat, filename: string): ConversionResult {
  const order: string[] = [];
  const numbers = new Map<string, number>();
  const counts = { sections: 0, tables: 0, verseLines: 0, images: 0 };
  let verseLine = 0;
  let droppedReferences = 0;

  const fixInline = (content: JSONContent[] | undefined): JSONContent[] =>
    (content ?? []).flatMap((node): JSONContent[] => {
      if (node.type === "hardBreak") return [{ type: "text", text: " " }];
      if (node.type !== "footnoteReference") return [node];
      const ref = String(node.attrs?.ref ?? "");
      if (!draft.notes.has(ref) || numbers.has(ref)) {
        droppedReferences++;
        return [];
      }
      order.push(ref);
      numbers.set(ref, order.length);
      return [{ type: "footnoteReference", attrs: { number: order.length } }];
    });

  const fixBlock = (block: JSONContent): JSONContent[] => {
    switch (block.type) {
      case "paragraph":
      case "heading": {
        const content = tidyInline(fixInline(block.content), { keepSpaces: draft.exactSpaces });
        if (!hasWords(content)) return carryMarkers(content);
        if (block.type === "heading") counts.sections++;
        return [{ ...block, content }];
      }
      case "verse": {
        const lines = (block.content ?? []).flatMap((line) => {
          const content = tidyInline(fixInline(line.content));
          if (!hasWords(content)) return [];
          verseLine++;
          counts.verseLines++;
          return [{ type: "verseLine", attrs: { number: verseLine }, content }];
        });
        return lines.length > 0 ? [{ type: "verse", content: lines }] : [];
      }
      case "blockquote": {
        const content = (block.content ?? []).flatMap(fixBlock);
        return content.length > 0 ? [{ type: "blockquote", content }] : [];
      }
      case "bulletList":
      case "orderedList": {
        const items = (block.content ?? []).flatMap((item) => {
          let content = (item.content ?? []).flatMap(fixBlock);
          if (content.length === 0) return [];
          if (content[0]?.type !== "paragraph") content = [{ type: "paragraph", content: [] }, ...content];
          return [{ type: "listItem", content }];
        });
        return items.length > 0 ? [{ ...block, content: items }] : [];
      }
      case "table": {
        const rows = (block.content ?? []).flatMap((row) => {
          const cells = (row.content ?? []).map((cell) => {
            const paragraphs = (cell.content ?? []).flatMap(fixBlock).filter((b) => b.type === "paragraph");
            return {
              type: "tableCell",
              attrs: { header: Boolean(cell.attrs?.header) },
              content: paragraphs.length > 0 ? paragraphs : [{ type: "paragraph" }],
            };
          });
          return cells.length > 0 ? [{ type: "tableRow", content: cells }] : [];
        });
        if (rows.length === 0) return [];
        counts.tables++;
        return [{ type: "table", content: rows }];
      }
      case "figure":
        counts.images++;
        return [block];
      default:
        return [block];
    }
  };

  // Page markers in an otherwise empty block move to the next block with words.
  let pendingMarkers: JSONContent[] = [];
  const carryMarkers = (content: JSONContent[]): JSONContent[] => {
    pendingMarkers.push(...content.filter((node) => node.type === "pageMarker"));
    return [];
  };
  const body: JSONContent[] = [];
  for (const block of draft.blocks) {
    for (const fixed of fixBlock(block)) {
      if (pendingMarkers.length > 0) {
        const target = firstTextblock(fixed);
        if (target) {
          target.content = [...pendingMarkers, ...(target.content ?? [])];
          pendingMarkers = [];
        }
      }
      body.push(fixed);
    }
  }

  const notes: JSONContent[] = [];
  const keepSpaces = Boolean(draft.exactSpaces);
  for (const ref of order)
    notes.push(footnoteNode(numbers.get(ref) as number, draft.notes.get(ref), true, keepSpaces));
  for (const [ref, content] of draft.notes) {
    if (numbers.has(ref) || !hasWords(content)) continue;
    order.push(ref);
    notes.push(footnoteNode(order.length, content, false, keepSpaces));
  }
  const warnings = [...draft.warnings];
  if (droppedReferences > 0) {
    warnings.push({
      code: "note-reference-dropped",
      message: `${droppedReferences} note reference${droppedReferences === 1 ? "" : "s"} pointed to no note (or to a note already referenced) and ${droppedReferences === 1 ? "was" : "were"} removed.`,
    });
  }

  if (!body.some((block) => block.type !== "figure")) {
    throw new ConversionRefusal("empty", "The file contains no text to read.", 422);
  }

  const oneLine = (value: string) => value.replace(/[\s\u00a0]+/g, " ").trim();
  draft.byline = oneLine(draft.byline);
  draft.source = oneLine(draft.source);
  const title = oneLine(draft.title || titleFromFilename(filename));
  const content: JSONContent = {
    type: "doc",
    content: [
      ...(draft.header ??
        buildReadingHeader({ title, byline: draft.byline, source: draft.source, date: draft.date })),
      ...body,
      ...(notes.length > 0 ? [{ type: "footnotes", content: notes }] : []),
    ],
  };
  try {
    readingDocFromJSON(content);
  } catch (error) {
    throw new ConversionRefusal(
      "malformed",
      `The converted text did not fit the reading format (${(error as Error).message}).`,
      422,
    );
  }
  const usedImages = new Set<string>();
  collectImageKeys(body, usedImages);
  return {
    ok: true,
    format,
    content,
    metadata: { title, byline: draft.byline.trim(), source: draft.source.trim(), date: draft.date },
    found: {
      sections: counts.sections,
      notes: notes.length,
      pages: draft.pages,
      images: counts.images,
      tables: counts.tables,
      verseLines: counts.verseLines,
    },
    ...(draft.chapters ? { chapters: draft.chapters } : {}),
    images: draft.images.filter((image) => usedImages.has(image.key)),
    warnings,
  };
}

function footnoteNode(
  number: number,
  content: JSONContent[] | undefined,
  hasReference: boolean,
  keepSpaces: boolean,
): JSONContent {
  const inline = tidyInline(content ?? [], { keepSpaces }).filter(
    (node) => node.type !== "footnoteReference",
  );
  return {
    type: "footnote",
    attrs: { number, hasReference },
    content: [{ type: "paragraph", ...(inline.length > 0 ? { content: inline } : {}) }],
  };
}

function firstTextblock(block: JSONContent): JSONContent | null {
  if (block.type === "paragraph" || block.type === "heading" || block.type === "verseLine") return block;
  for (const child of block.content ?? []) {
    const found = firstTextblock(child);
    if (found) return found;
  }
  return null;
}

function collectImageKeys(blocks: JSONContent[], keys: Set<string>) {
  for (const block of blocks) {
    if (block.type === "figure") keys.add(String(block.attrs?.key ?? ""));
    if (block.content) collectImageKeys(block.content, keys);
  }
}

/** "the-republic_book-1.pdf" → "The republic book 1". */
export function titleFromFilename(filename: string): string {
  const base = filename.replace(/^.*[\\/]/, "").replace(/\.[a-z0-9]{1,5}$/i, "");
  const words = base.replace(/[_-]+/g, " ").replace(/\s+/g, " ").trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : "Untitled";
}
