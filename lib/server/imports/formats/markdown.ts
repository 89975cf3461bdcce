/**
 * Markdown (CommonMark + GitHub's extensions) through remark: headings,
 * `[^1]` footnotes, lists, block quotes, tables, emphasis, links; a paragraph
 * with hard line breaks (two spaces or a backslash at a line's end) is verse.
 * Raw HTML in the Markdown is dropped, and so are images (a Markdown file
 * carries no image bytes, and remote images are never fetched).
 */
import type { JSONContent } from "@tiptap/core";
import type { Nodes, PhrasingContent, RootContent } from "mdast";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { SAFE_LINK } from "@/lib/shared/schema/reading-extensions";
import { newDraft, textNode, type ReadingDraft } from "../reading-draft";

/** Converts a Markdown file. */
export function convertMarkdown(raw: string): ReadingDraft {
  const draft = newDraft();
  const source = readFrontMatter(raw.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n"), draft);
  const tree = unified().use(remarkParse).use(remarkGfm).parse(source);
  unified().use(remarkGfm).runSync(tree);
  let skippedImages = 0;
  let droppedHtml = 0;
  const children = [...tree.children];

  // A front-matter-free Markdown file titles itself with its first level-1 heading.
  const first = children.find((node) => node.type !== "definition");
  if (!draft.title && first?.type === "heading" && first.depth === 1) {
    draft.title = plainOf(first);
    children.splice(children.indexOf(first), 1);
  }
  const minDepth = Math.min(
    6,
    ...children.filter((n) => n.type === "heading").map((n) => (n as { depth: number }).depth),
  );

  const inline = (nodes: PhrasingContent[], marks: JSONContent["marks"] = []): JSONContent[] =>
    nodes.flatMap((node): JSONContent[] => {
      switch (node.type) {
        case "text":
          return textNode(node.value, marks);
        case "inlineCode":
          return textNode(node.value, marks);
        case "emphasis":
          return inline(node.children, [...(marks ?? []), { type: "italic" }]);
        case "strong":
          return inline(node.children, [...(marks ?? []), { type: "bold" }]);
        case "delete":
          return inline(node.children, marks);
        case "link":
          return inline(
            node.children,
            SAFE_LINK.test(node.url)
              ? [...(marks ?? []), { type: "link", attrs: { href: node.url } }]
              : marks,
          );
        case "linkReference":
          return inline(node.children, marks);
        case "footnoteReference":
          return [{ type: "footnoteReference", attrs: { ref: node.identifier } }];
        case "break":
          return [{ type: "hardBreak" }];
        case "image":
        case "imageReference":
          skippedImages++;
          return [];
        case "html":
          droppedHtml++;
          return [];
        default:
          return [];
      }
    });

  const block = (node: RootContent | Nodes): JSONContent[] => {
    switch (node.type) {
      case "paragraph":
        return paragraphOrVerse(inline(node.children));
      case "heading":
        return [
          {
            type: "heading",
            attrs: { level: Math.min(4, Math.max(2, node.depth - minDepth + 2)) },
            content: inline(node.children),
          },
        ];
      case "blockquote":
        return [{ type: "blockquote", content: node.children.flatMap(block) }];
      case "list":
        return [
          {
            type: node.ordered ? "orderedList" : "bulletList",
            ...(node.ordered && node.start && node.start !== 1 ? { attrs: { start: node.start } } : {}),
            content: node.children.map((item) => ({
              type: "listItem",
              content: item.children.flatMap(block),
            })),
          },
        ];
      case "table":
        return [
          {
            type: "table",
            content: node.children.map((row, r) => ({
              type: "tableRow",
              content: row.children.map((cell) => ({
                type: "tableCell",
                attrs: { header: r === 0 },
                content: [{ type: "paragraph", content: inline(cell.children) }],
              })),
            })),
          },
        ];
      case "code":
        return [
          {
            type: "verse",
            content: node.value.split("\n").map((line) => ({ type: "verseLine", content: textNode(line) })),
          },
        ];
      case "html":
        droppedHtml++;
        return [];
      case "footnoteDefinition":
        draft.notes.set(
          node.identifier,
          node.children
            .flatMap((child, i) => {
              const parts = child.type === "paragraph" ? inline(child.children) : [];
              return i > 0 ? [{ type: "text", text: " " }, ...parts] : parts;
            })
            .filter((n) => n.type !== "hardBreak"),
        );
        return [];
      default:
        return [];
    }
  };

  for (const node of children) draft.blocks.push(...block(node));
  if (skippedImages > 0) {
    draft.warnings.push({
      code: "images-skipped",
      message: `${skippedImages} image${skippedImages === 1 ? " was" : "s were"} left out: a Markdown file does not carry images, and linked images are not fetched.`,
    });
  }
  if (droppedHtml > 0) {
    draft.warnings.push({
      code: "html-dropped",
      message: `${droppedHtml} piece${droppedHtml === 1 ? "" : "s"} of HTML inside the Markdown ${droppedHtml === 1 ? "was" : "were"} left out.`,
    });
  }
  return draft;
}

/** A paragraph, or — when it has hard line breaks — a block of verse, one line per break. */
export function paragraphOrVerse(content: JSONContent[]): JSONContent[] {
  if (!content.some((node) => node.type === "hardBreak")) return [{ type: "paragraph", content }];
  const lines: JSONContent[][] = [[]];
  for (const node of content) {
    if (node.type === "hardBreak") lines.push([]);
    else (lines[lines.length - 1] as JSONContent[]).push(node);
  }
  return [{ type: "verse", content: lines.map((line) => ({ type: "verseLine", content: line })) }];
}

function plainOf(node: Nodes): string {
  if ("value" in node && typeof node.value === "string") return node.value;
  if ("children" in node) return (node.children as Nodes[]).map(plainOf).join("");
  return "";
}

/**
 * A YAML front-matter block (`---` … `---`) of simple `key: value` lines, as
 * pandoc and static-site generators write it: title, author, date and
 * subtitle (the source line). Returns the Markdown after it.
 */
function readFrontMatter(text: string, draft: ReadingDraft): string {
  const match = /^---\n([\s\S]*?)\n(?:---|\.\.\.)\n/.exec(text);
  if (!match) return text;
  for (const line of (match[1] as string).split("\n")) {
    const field = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
    if (!field) continue;
    const value = (field[2] as string).trim().replace(/^(["'])(.*)\1$/, "$2");
    const key = (field[1] as string).toLowerCase();
    if (key === "title") draft.title = value;
    else if (key === "author") draft.byline = value;
    else if (key === "date") draft.date = value;
    else if (key === "subtitle" || key === "source") draft.source = value;
  }
  return text.slice(match[0].length);
}
