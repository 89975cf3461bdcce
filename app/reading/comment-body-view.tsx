import { Fragment, type ReactNode } from "react";
import type {
  CommentBlock,
  CommentBody,
  CommentInline,
  CommentListItem,
  CommentText,
} from "@/lib/shared/comments/comment-body";
import { closeUpPunctuation } from "@/lib/shared/comments/closing-punctuation";
import { hasMark, linkRuns } from "@/lib/shared/comments/link-runs";
import "./comments.css";

type Props = {
  /** The body to show, as `readCommentBody` read it where it was loaded (or as the composer made it). */
  body: CommentBody;
  /** Extra classes for the wrapper. */
  className?: string;
};

/** A text run with its emphasis, without its link. */
function renderText(node: CommentText): ReactNode {
  let rendered: ReactNode = node.text;
  if (hasMark(node, "italic")) rendered = <em>{rendered}</em>;
  if (hasMark(node, "bold")) rendered = <strong>{rendered}</strong>;
  return rendered;
}

function renderInline(node: CommentInline, key: number): ReactNode {
  switch (node.type) {
    case "hardBreak":
      return <br key={key} />;
    case "text":
      return <Fragment key={key}>{renderText(node)}</Fragment>;
    case "mention":
      return (
        <span key={key} className="mention" data-user-id={node.attrs.id}>
          @{node.attrs.label}
        </span>
      );
    case "tag":
      return (
        <span key={key} className="tag" data-tag={node.attrs.name}>
          #{node.attrs.name}
        </span>
      );
  }
}

/** A paragraph's content, each link's runs in one anchor; "#tag," without the picker's space. */
function renderInlines(content: readonly CommentInline[]): ReactNode[] {
  return linkRuns(closeUpPunctuation(content)).flatMap(({ href, nodes, start }): ReactNode[] => {
    const rendered = nodes.map((node, offset) => renderInline(node, start + offset));
    if (href === null) return rendered;
    return [
      <a key={start} href={href} target="_blank" rel="noopener noreferrer">
        {rendered}
      </a>,
    ];
  });
}

function renderListItems(items: readonly CommentListItem[]): ReactNode[] {
  return items.map((item, index) => <li key={index}>{renderBlocks(item.content)}</li>);
}

function renderBlock(block: CommentBlock, key: number): ReactNode {
  switch (block.type) {
    case "paragraph":
      return <p key={key}>{renderInlines(block.content ?? [])}</p>;
    case "blockquote":
      return <blockquote key={key}>{renderBlocks(block.content)}</blockquote>;
    case "bulletList":
      return <ul key={key}>{renderListItems(block.content)}</ul>;
    case "orderedList":
      return (
        <ol key={key} start={block.attrs?.start}>
          {renderListItems(block.content)}
        </ol>
      );
  }
}

function renderBlocks(blocks: readonly CommentBlock[]): ReactNode[] {
  return blocks.map((block, index) => renderBlock(block, index));
}

/**
 * A comment body as React elements, never as HTML (docs/architecture.md §6). The body
 * is typed: `readCommentBody` reduced anything outside the subset to text,
 * capped its depth and dropped unsafe links where it was loaded.
 */
export function CommentBodyView({ body, className }: Props) {
  return (
    <div className={className ? `comment-body-view ${className}` : "comment-body-view"}>
      {renderBlocks(body.content)}
    </div>
  );
}
