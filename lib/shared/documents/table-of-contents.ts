/**
 * A long text's table of contents: its section headings (levels 2–4; the
 * title is level 1) in order, each with the anchor id its heading carries.
 * The reading page's headings get their id from the schema's renderHTML
 * (headingAnchorId of their words), so a contents link is an ordinary
 * fragment link that works before any script runs; the HTML export, which
 * writes the whole text at once, makes repeated ids unique ("-2", "-3").
 */
import type { JSONContent } from "@tiptap/core";

/** One entry: a heading's level, words and anchor id. */
export type ContentsEntry = { level: 2 | 3 | 4; text: string; id: string };

/** A contents list is offered from this many headings: a short text needs none. */
export const CONTENTS_MIN_HEADINGS = 3;

/** The anchor id of a heading with these words: "section-" and a slug of them (letters and digits of any script kept). */
export function headingAnchorId(text: string): string {
  const slug = text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
  return slug ? `section-${slug}` : "section";
}

/** Gives each id, in order, a suffix when it was used before: the second "section-notes" is "section-notes-2". */
export function uniqueAnchorIds(ids: string[]): string[] {
  const seen = new Map<string, number>();
  return ids.map((id) => {
    const count = (seen.get(id) ?? 0) + 1;
    seen.set(id, count);
    return count === 1 ? id : `${id}-${count}`;
  });
}

function clampLevel(level: unknown): 2 | 3 | 4 {
  const n = Number(level);
  if (!Number.isFinite(n) || n <= 2) return 2;
  return n >= 4 ? 4 : 3;
}

function wordsOf(node: JSONContent): string {
  if (node.type === "text") return node.text ?? "";
  return (node.content ?? []).map(wordsOf).join("");
}

/**
 * The headings of a reading (JSON in the reading schema), in document order,
 * with the ids their headings carry on the reading page (repeated words share
 * the first one's id; see uniqueAnchorIds for the export).
 */
export function contentsOf(content: JSONContent): ContentsEntry[] {
  const entries: ContentsEntry[] = [];
  const visit = (node: JSONContent) => {
    if (node.type === "heading") {
      const text = wordsOf(node).replace(/\s+/g, " ").trim();
      if (text) entries.push({ level: clampLevel(node.attrs?.level), text, id: headingAnchorId(text) });
      return;
    }
    // Notes are the text's apparatus, not its sections.
    if (node.type === "footnotes") return;
    for (const child of node.content ?? []) visit(child);
  };
  visit(content);
  return entries;
}

/** A contents entry with the entries under it (a level-3 heading under the level-2 before it). */
export type ContentsTreeItem = ContentsEntry & { children: ContentsTreeItem[] };

/** The entries nested by level, for a list of lists. */
export function nestContents(entries: ContentsEntry[]): ContentsTreeItem[] {
  const root: ContentsTreeItem[] = [];
  const open: ContentsTreeItem[] = [];
  for (const entry of entries) {
    const item: ContentsTreeItem = { ...entry, children: [] };
    while (open.length > 0 && (open.at(-1) as ContentsTreeItem).level >= entry.level) open.pop();
    const parent = open.at(-1);
    (parent ? parent.children : root).push(item);
    open.push(item);
  }
  return root;
}
