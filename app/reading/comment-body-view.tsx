import { Fragment, type ReactNode } from "react";
import type {
  CommentBlock,
  CommentBody,
  CommentInline,
  CommentListItem,
  CommentText,
} from "@/lib/shared/comments/comment-body";
import "./comments.css";

type Props = {
  /** The body to show, as `readCommentBody` read it where it was loaded (or as the composer made it). */
  body: CommentBody;
  /** Extra classes for the wrapper. */
  className?: string;
};

/** The link a text run carries (its href already checked by the sanitizer or the reader), or null. */
function linkOf(node: CommentInline): string | null {
  if (node.type !== "text") return null;
  const link = node.marks?.find((mark) => mark.type === "link");
  return link?.type === "link" ? link.attrs.href : null;
}

/** A text run with its emphasis, without its link. */
function renderText(node: CommentText): ReactNode {
  let rendered: ReactNode = node.text;
  if (node.marks?.some((mark) => mark.type === "italic")) rendered = <em>{rendered}</em>;
  if (node.marks?.some((mark) => mark.type === "bold")) rendered = <strong>{rendered}</strong>;
  return rendered;
}

function renderInline(node: CommentInline, key: number): ReactNode {
  switch (node.type) {
    case "hardBreak":
      return <br key={key} />;
    case "text":
      return <Fragment key={key}>{renderText(node)}</Fragment>;
  }
}

/** A paragraph's content, with consecutive runs under the same link joined into one anchor. */
function renderInlines(nodes: readonly CommentInline[]): ReactNode[] {
  const rendered: ReactNode[] = [];
  for (let index = 0; index < nodes.length;) {
    const href = linkOf(nodes[index] as CommentInline);
    if (href === null) {
      rendered.push(renderInline(nodes[index] as CommentInline, index));
      index += 1;
      continue;
    }
    const start = index;
    const run: ReactNode[] = [];
    while (index < nodes.length && linkOf(nodes[index] as CommentInline) === href) {
      run.push(renderInline(nodes[index] as CommentInline, index));
      index += 1;
    }
    rendered.push(
      <a key={start} href={href} target="_blank" rel="noopener noreferrer">
        {run}
      </a>,
    );
  }
  return rendered;
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
 * A comment body as React elements, never as HTML (DESIGN.md §7). The body
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
