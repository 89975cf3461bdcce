/**
 * Plain text: our own format (docs/adr/0003, with its title, source line,
 * byline and numbered notes) when the file fits it, otherwise ordinary prose —
 * paragraphs separated by blank lines, a short first line as the title, and
 * blocks of short lines kept as verse.
 */
import type { JSONContent } from "@tiptap/core";
import { parsePlainText } from "@/lib/shared/documents/parse-plain-text";
import { newDraft, textNode, type ReadingDraft } from "../reading-draft";

/** Converts a text file. */
export function convertText(raw: string): { draft: ReadingDraft; ownFormat: boolean } {
  const text = raw.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  try {
    const parsed = parsePlainText(text);
    return { draft: draftFromOwnFormat(parsed.content), ownFormat: true };
  } catch {
    return { draft: draftFromProse(text), ownFormat: false };
  }
}

/** Our format already is the reading schema: keep its blocks and notes as they are. */
function draftFromOwnFormat(content: JSONContent): ReadingDraft {
  const draft = newDraft();
  draft.exactSpaces = true;
  draft.header = (content.content ?? []).filter((node) =>
    ["title", "byline", "source"].includes(node.type ?? ""),
  );
  for (const node of content.content ?? []) {
    const plain = (node.content ?? []).map((child) => child.text ?? "").join("");
    if (node.type === "title") draft.title = plain;
    else if (node.type === "byline") draft.byline = plain;
    else if (node.type === "source") {
      draft.source = plain;
      draft.date = (node.attrs?.date as string | null) ?? null;
    } else if (node.type === "footnotes") {
      for (const note of node.content ?? []) {
        draft.notes.set(String(note.attrs?.number), note.content?.[0]?.content ?? []);
      }
    } else draft.blocks.push(renameReferences(node));
  }
  return draft;
}

function renameReferences(node: JSONContent): JSONContent {
  if (node.type === "footnoteReference")
    return { type: "footnoteReference", attrs: { ref: String(node.attrs?.number) } };
  return node.content ? { ...node, content: node.content.map(renameReferences) } : node;
}

/** Ordinary prose. */
function draftFromProse(text: string): ReadingDraft {
  const draft = newDraft();
  const blocks = text
    .split(/\n[ \t]*\n/)
    .map((block) =>
      block
        .split("\n")
        .map((line) => line.trimEnd())
        .filter((line) => line.trim() !== ""),
    )
    .filter((lines) => lines.length > 0);
  const first = blocks[0];
  if (first && first.length === 1 && (first[0] as string).trim().length <= 120 && blocks.length > 1) {
    draft.title = (first[0] as string).trim();
    blocks.shift();
  }
  for (const lines of blocks) {
    if (isVerse(lines)) {
      draft.blocks.push({
        type: "verse",
        content: lines.map((line) => ({ type: "verseLine", content: textNode(line.trim()) })),
      });
    } else {
      draft.blocks.push({ type: "paragraph", content: textNode(lines.map((line) => line.trim()).join(" ")) });
    }
  }
  return draft;
}

/**
 * Short lines of uneven length read as verse; a block of lines that all run
 * close to one width is hard-wrapped prose.
 */
export function isVerse(lines: string[]): boolean {
  if (lines.length < 2) return false;
  const lengths = lines.map((line) => line.trim().length);
  const longest = Math.max(...lengths);
  if (longest > 55) return false;
  const nearFull = lengths.slice(0, -1).filter((length) => length >= longest - 8).length;
  return nearFull < (lengths.length - 1) * 0.8 || lengths.length <= 3;
}
