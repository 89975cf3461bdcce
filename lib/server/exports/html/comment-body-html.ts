/**
 * A comment body as HTML for the annotated copy, as
 * app/reading/comment-body-view.tsx renders it on the reading page: one case
 * per typed node, every character of text escaped. The body was read with
 * `readCommentBody` where it was loaded, so anything outside the subset is
 * already plain text and every link already passed `isSafeHref`.
 */
import type {
  CommentBlock,
  CommentBody,
  CommentInline,
  CommentListItem,
  CommentText,
} from "@/lib/shared/comments/comment-body";
import { escapeHtml } from "./markup";

/** The link a text run carries, or null. */
function linkOf(node: CommentInline): string | null {
  if (node.type !== "text") return null;
  const link = node.marks?.find((mark) => mark.type === "link");
  return link?.type === "link" ? link.attrs.href : null;
}

function textHtml(node: CommentText): string {
  let html = escapeHtml(node.text);
  if (node.marks?.some((mark) => mark.type === "italic")) html = `<em>${html}</em>`;
  if (node.marks?.some((mark) => mark.type === "bold")) html = `<strong>${html}</strong>`;
  return html;
}

function inlineHtml(node: CommentInline): string {
  switch (node.type) {
    case "hardBreak":
      return "<br>";
    case "text":
      return textHtml(node);
  }
}

/** A paragraph's content, consecutive runs under the same link joined into one anchor. */
function inlinesHtml(nodes: readonly CommentInline[]): string {
  let html = "";
  for (let index = 0; index < nodes.length;) {
    const href = linkOf(nodes[index] as CommentInline);
    if (href === null) {
      html += inlineHtml(nodes[index] as CommentInline);
      index += 1;
      continue;
    }
    let run = "";
    while (index < nodes.length && linkOf(nodes[index] as CommentInline) === href) {
      run += inlineHtml(nodes[index] as CommentInline);
      index += 1;
    }
    html += `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${run}</a>`;
  }
  return html;
}

function listItemsHtml(items: readonly CommentListItem[]): string {
  return items.map((item) => `<li>${blocksHtml(item.content)}</li>`).join("");
}

function blockHtml(block: CommentBlock): string {
  switch (block.type) {
    case "paragraph":
      return `<p>${inlinesHtml(block.content ?? [])}</p>`;
    case "blockquote":
      return `<blockquote>${blocksHtml(block.content)}</blockquote>`;
    case "bulletList":
      return `<ul>${listItemsHtml(block.content)}</ul>`;
    case "orderedList": {
      const start = block.attrs?.start;
      return `<ol${start === undefined ? "" : ` start="${start}"`}>${listItemsHtml(block.content)}</ol>`;
    }
  }
}

function blocksHtml(blocks: readonly CommentBlock[]): string {
  return blocks.map(blockHtml).join("");
}

/** A comment body as an HTML string. */
export function renderCommentBodyHtml(body: CommentBody): string {
  return blocksHtml(body.content);
}
