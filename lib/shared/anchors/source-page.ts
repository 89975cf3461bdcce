/**
 * The page of the source (a PDF page, an EPUB's print page) a passage is on:
 * the label of the last page marker at or before its start. Page markers are
 * inline atoms that add nothing to the plain text (text-index.ts), so this
 * never changes offsets or quotes; it only lets a passage be cited by page.
 */
import type { Node as PMNode } from "@tiptap/pm/model";

/** The label of the page a ProseMirror position falls on, or null for a text without page markers. */
export function sourcePageAt(doc: PMNode, pos: number): string | null {
  let label: string | null = null;
  doc.nodesBetween(0, Math.min(Math.max(pos, 0), doc.content.size), (node) => {
    if (node.type.name === "pageMarker") label = String(node.attrs.label);
    return true;
  });
  return label;
}

/** The pages a range spans: "12" or "12–13". */
export function sourcePagesOf(doc: PMNode, from: number, to: number): string | null {
  const first = sourcePageAt(doc, from);
  if (first === null) return null;
  const last = sourcePageAt(doc, Math.max(from, to - 1)) ?? first;
  return last === first ? first : `${first}–${last}`;
}
