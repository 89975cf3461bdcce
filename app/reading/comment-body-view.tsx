import { Fragment, type ReactNode } from "react";
import { isSafeHref, type CommentBody } from "@/lib/shared/comments/comment-body";
import "./comments.css";

type Props = {
  /** The body to show; sanitized by the API, but rendered as if it might not be. */
  body: CommentBody;
  /** Extra classes for the wrapper. */
  className?: string;
};

/** A node as it may really be: a stored body may predate, or never have passed, the sanitizer. */
type LooseNode = { type?: unknown; text?: unknown; content?: unknown; marks?: unknown; attrs?: unknown };

// Far beyond what the sanitizer lets through (6 levels of quotes and lists),
// low enough that a hostile body cannot exhaust the stack while rendering.
const MAX_RENDER_DEPTH = 24;

function asNodes(value: unknown): LooseNode[] {
  return Array.isArray(value)
    ? value.filter((node): node is LooseNode => typeof node === "object" && node !== null)
    : [];
}

function attr(node: LooseNode, name: string): unknown {
  return typeof node.attrs === "object" && node.attrs !== null
    ? (node.attrs as Record<string, unknown>)[name]
    : undefined;
}

/** The text of any node, for node types we do not render. */
function textOf(node: LooseNode, depth = 0): string {
  if (typeof node.text === "string") return node.text;
  if (node.type === "hardBreak") return "\n";
  if (depth >= MAX_RENDER_DEPTH) return "";
  const children = asNodes(node.content);
  const isInline = children.every((child) => typeof child.text === "string" || child.type === "hardBreak");
  return children.map((child) => textOf(child, depth + 1)).join(isInline ? "" : " ");
}

/** The safe href of a text node's link mark, or null (no link, or one we refuse to render). */
function safeLinkOf(node: LooseNode): string | null {
  const link = asNodes(node.marks).find((mark) => mark.type === "link");
  const href = link ? attr(link, "href") : null;
  return isSafeHref(href) ? href : null;
}

function hasMark(node: LooseNode, type: string): boolean {
  return asNodes(node.marks).some((mark) => mark.type === type);
}

/** One inline node without its link: formatted text, a line break, or plain text. */
function renderInline(node: LooseNode, key: number): ReactNode {
  if (node.type === "hardBreak") return <br key={key} />;
  if (node.type !== "text" || typeof node.text !== "string") return textOf(node);
  let rendered: ReactNode = node.text;
  if (hasMark(node, "italic")) rendered = <em>{rendered}</em>;
  if (hasMark(node, "bold")) rendered = <strong>{rendered}</strong>;
  return <Fragment key={key}>{rendered}</Fragment>;
}

/** A paragraph's content, with consecutive runs under the same link joined into one anchor. */
function renderInlines(value: unknown): ReactNode[] {
  const nodes = asNodes(value);
  const rendered: ReactNode[] = [];
  for (let index = 0; index < nodes.length;) {
    const href = nodes[index]?.type === "text" ? safeLinkOf(nodes[index] as LooseNode) : null;
    if (href === null) {
      rendered.push(renderInline(nodes[index] as LooseNode, index));
      index += 1;
      continue;
    }
    const start = index;
    const run: ReactNode[] = [];
    while (
      index < nodes.length &&
      nodes[index]?.type === "text" &&
      safeLinkOf(nodes[index] as LooseNode) === href
    ) {
      run.push(renderInline(nodes[index] as LooseNode, index));
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

function renderListItems(value: unknown, depth: number): ReactNode[] {
  return asNodes(value).map((node, index) => (
    <li key={index}>{node.type === "listItem" ? renderBlocks(node.content, depth + 1) : textOf(node)}</li>
  ));
}

function renderBlock(node: LooseNode, key: number, depth: number): ReactNode {
  if (depth >= MAX_RENDER_DEPTH) return <p key={key}>{textOf(node)}</p>;
  switch (node.type) {
    case "paragraph":
      return <p key={key}>{renderInlines(node.content)}</p>;
    case "blockquote":
      return <blockquote key={key}>{renderBlocks(node.content, depth + 1)}</blockquote>;
    case "bulletList":
      return <ul key={key}>{renderListItems(node.content, depth + 1)}</ul>;
    case "orderedList": {
      const start = attr(node, "start");
      const isValidStart = typeof start === "number" && Number.isInteger(start) && start >= 0;
      return (
        <ol key={key} start={isValidStart && start !== 1 ? start : undefined}>
          {renderListItems(node.content, depth + 1)}
        </ol>
      );
    }
    default:
      // Anything else, known or not, shows its text and nothing more.
      return <p key={key}>{textOf(node, depth)}</p>;
  }
}

function renderBlocks(value: unknown, depth: number): ReactNode[] {
  return asNodes(value).map((node, index) => renderBlock(node, index, depth));
}

/**
 * A comment body as React elements, by a whitelist of node and mark types;
 * never as HTML (docs/architecture.md §6). Links are re-checked with `isSafeHref` here,
 * and an unsafe one is shown as its plain text.
 */
export function CommentBodyView({ body, className }: Props) {
  const root: LooseNode = typeof body === "object" && body !== null ? body : {};
  return (
    <div className={className ? `comment-body-view ${className}` : "comment-body-view"}>
      {renderBlocks(root.content, 0)}
    </div>
  );
}
