/**
 * A comment's body as Markdown for the Markdown export (markdown.ts): paragraphs with
 * their emphasis, links, @mentions (bold) and #tags (code spans), block quotes and
 * lists, every character of text escaped. The body was read with `readCommentBody`
 * where it was loaded (load-export-data.ts), so the renderer walks typed nodes only.
 */
import type {
  CommentBlock,
  CommentInline,
  CommentListItem,
  CommentText,
} from "@/lib/shared/comments/comment-body";
import { closeUpPunctuation } from "@/lib/shared/comments/closing-punctuation";
import { hasMark, linkOf } from "@/lib/shared/comments/link-runs";
import type { ExportComment } from "./load-export-data";
import { escapeInline, escapeLineStart, linkDestination } from "./markdown-syntax";

/**
 * A comment's body as Markdown blocks (each a list of lines), or its plain
 * text when the body holds no words (a private note whose body could not be
 * read, say: loadExportData read it with `readCommentBody`).
 */
export function commentBodyBlocks(comment: Pick<ExportComment, "body" | "text">): string[][] {
  const blocks = (comment.body?.content ?? []).map(blockLines).filter((lines) => lines.length > 0);
  return blocks.length > 0 ? blocks : plainTextBlocks(comment.text);
}

function plainTextBlocks(text: string): string[][] {
  return text
    .split(/\n{2,}/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean)
    .map((paragraph) => [
      paragraph
        .split("\n")
        .map((line) => escapeLineStart(escapeInline(line)))
        .join("\\\n"),
    ]);
}

function listLines(items: readonly CommentListItem[], markerOf: (index: number) => string): string[] {
  return items.flatMap((item, index) => {
    const marker = markerOf(index);
    const pad = " ".repeat(marker.length);
    const lines = item.content
      .map(blockLines)
      .filter((inner) => inner.length > 0)
      .flat();
    if (lines.length === 0) return [marker.trimEnd()];
    return lines.map((line, i) => (i === 0 ? `${marker}${line}` : `${pad}${line}`));
  });
}

function blockLines(block: CommentBlock): string[] {
  switch (block.type) {
    case "paragraph": {
      const text = inlineMarkdown(block.content ?? []);
      return text ? text.split("\n") : [];
    }
    case "blockquote": {
      const inner = block.content.map(blockLines).filter((lines) => lines.length > 0);
      return inner.flatMap((lines, i) => [...(i > 0 ? [">"] : []), ...lines.map((line) => `> ${line}`)]);
    }
    case "bulletList":
      return listLines(block.content, () => "- ");
    case "orderedList": {
      const start = block.attrs?.start ?? 1;
      return listLines(block.content, (index) => `${start + index}. `);
    }
  }
}

/** A text run with its emphasis and link, its outer spaces kept as single spaces. */
function textMarkdown(node: CommentText): string {
  const has = (type: "bold" | "italic") => hasMark(node, type);
  const href = linkOf(node);
  const text = node.text.replace(/\s*\n\s*/g, " ");
  const lead = /^\s*/.exec(text)?.[0] ?? "";
  const trail = lead.length < text.length ? (/\s*$/.exec(text)?.[0] ?? "") : "";
  let core = escapeInline(text.slice(lead.length, text.length - trail.length));
  if (core) {
    const delimiter = has("bold") && has("italic") ? "***" : has("bold") ? "**" : has("italic") ? "*" : "";
    core = `${delimiter}${core}${delimiter}`;
    if (href !== null) core = `[${core}](${linkDestination(href)})`;
  }
  return `${lead ? " " : ""}${core}${trail ? " " : ""}`;
}

/** A paragraph's runs with emphasis and links; line breaks as `\` + newline; "#tag," without the picker's space. */
function inlineMarkdown(nodes: readonly CommentInline[]): string {
  let out = "";
  for (const node of closeUpPunctuation(nodes)) {
    switch (node.type) {
      case "hardBreak":
        out += "\\\n";
        break;
      case "text":
        out += textMarkdown(node);
        break;
      case "mention":
        out += `**@${escapeInline(node.attrs.label)}**`;
        break;
      case "tag":
        // A code span: a tag's characters (letters, digits, - and _) need no escaping in one.
        out += `\`#${node.attrs.name}\``;
        break;
    }
  }
  // Most paragraphs are one line: no split and join for them.
  if (!out.includes("\n")) return escapeLineStart(out.trim());
  return out
    .split("\n")
    .map((line) => escapeLineStart(line.trim()))
    .join("\n");
}
