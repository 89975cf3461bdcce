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
import { closeUpPunctuation } from "@/lib/shared/comments/closing-punctuation";
import { hasMark, linkRuns } from "@/lib/shared/comments/link-runs";
import { escapeHtml } from "./markup";

function textHtml(node: CommentText): string {
  let html = escapeHtml(node.text);
  if (hasMark(node, "italic")) html = `<em>${html}</em>`;
  if (hasMark(node, "bold")) html = `<strong>${html}</strong>`;
  return html;
}

function inlineHtml(node: CommentInline): string {
  switch (node.type) {
    case "hardBreak":
      return "<br>";
    case "text":
      return textHtml(node);
    case "mention":
      return `<span class="mention">@${escapeHtml(node.attrs.label)}</span>`;
    case "tag":
      return `<span class="tag">#${escapeHtml(node.attrs.name)}</span>`;
  }
}

/** A paragraph's content, each link's runs in one anchor; "#tag," without the picker's space. */
function inlinesHtml(content: readonly CommentInline[]): string {
  return linkRuns(closeUpPunctuation(content))
    .map(({ href, nodes }) => {
      const html = nodes.map(inlineHtml).join("");
      return href === null ? html : `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${html}</a>`;
    })
    .join("");
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
