/**
 * The annotated copy's table of contents (a long text's section headings,
 * as on the reading page) and the ids its headings carry. Here the whole
 * text is written at once, so a repeated heading gets an id of its own
 * ("section-notes-2") and every entry links to its own heading.
 */
import type { Node as PMNode } from "@tiptap/pm/model";
import {
  CONTENTS_MIN_HEADINGS,
  headingAnchorId,
  nestContents,
  uniqueAnchorIds,
  type ContentsEntry,
  type ContentsTreeItem,
} from "@/lib/shared/documents/table-of-contents";
import { clampHeadingLevel } from "@/lib/shared/schema/reading-extensions";
import { escapeHtml } from "./markup";

/** Each section heading's position in the document and its contents entry, in document order. */
export function headingAnchors(doc: PMNode): Map<number, ContentsEntry> {
  const found: { pos: number; level: 2 | 3 | 4; text: string }[] = [];
  doc.descendants((node, pos) => {
    if (node.type.name === "footnotes") return false;
    if (node.type.name !== "heading") return true;
    const text = node.textContent.replace(/\s+/g, " ").trim();
    if (text) found.push({ pos, level: clampHeadingLevel(Number(node.attrs.level)), text });
    return false;
  });
  const ids = uniqueAnchorIds(found.map((heading) => headingAnchorId(heading.text)));
  return new Map(
    found.map((heading, i) => [
      heading.pos,
      { level: heading.level, text: heading.text, id: ids[i] as string },
    ]),
  );
}

function listHtml(items: ContentsTreeItem[]): string {
  return `<ol>${items
    .map(
      (item) =>
        `<li><a href="#${escapeHtml(item.id)}">${escapeHtml(item.text)}</a>` +
        (item.children.length > 0 ? listHtml(item.children) : "") +
        `</li>`,
    )
    .join("")}</ol>`;
}

/** The contents list, or nothing for a text of fewer than three section headings. */
export function contentsHtml(anchors: Map<number, ContentsEntry>): string {
  const entries = [...anchors.values()];
  if (entries.length < CONTENTS_MIN_HEADINGS) return "";
  return (
    `<nav class="contents" aria-labelledby="contents-heading">` +
    `<h2 class="section-heading" id="contents-heading">Contents</h2>` +
    listHtml(nestContents(entries)) +
    `</nav>`
  );
}
