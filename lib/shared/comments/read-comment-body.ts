/**
 * Reading a stored comment body, whatever it holds, as the typed nodes of
 * comment-body.ts. Where `sanitizeCommentBody` refuses a body with a
 * message (the API, on the way in), this reader never refuses: bodies come
 * back out of rooms and snapshots, and a private note's body was written by
 * its owner's browser without passing the API. So it keeps what it can read,
 * reduces what it cannot to its text, and drops what has no text.
 *
 * Called where bodies are loaded (the seminar room's projection, the notes
 * room, snapshots), so that every renderer — the reading page, the HTML and
 * Markdown exports — walks typed nodes with an exhaustive switch and no
 * defences of its own.
 */
import { normalizeTag } from "./tags";
import {
  isSafeHref,
  readMentionAttrs,
  type CommentBlock,
  type CommentBody,
  type CommentInline,
  type CommentListItem,
  type CommentMark,
} from "./comment-body";

/**
 * How deep quotes and lists may nest before the rest is read as plain text:
 * far beyond what the sanitizer lets through (6 levels), low enough that a
 * hostile body cannot exhaust the stack of the reader or of a renderer.
 */
export const MAX_READ_DEPTH = 24;

/** A node as it may really be. */
type LooseNode = { type?: unknown; text?: unknown; content?: unknown; marks?: unknown; attrs?: unknown };

function asNodes(value: unknown): LooseNode[] {
  return Array.isArray(value)
    ? value.filter((node): node is LooseNode => typeof node === "object" && node !== null)
    : [];
}

function attrOf(node: LooseNode, name: string): unknown {
  return typeof node.attrs === "object" && node.attrs !== null
    ? (node.attrs as Record<string, unknown>)[name]
    : undefined;
}

/** The text of any node: runs joined, line breaks as "\n", blocks separated by a space. */
function textOf(node: LooseNode, depth = 0): string {
  if (typeof node.text === "string") return node.text;
  if (node.type === "hardBreak") return "\n";
  if (depth >= MAX_READ_DEPTH) return "";
  const children = asNodes(node.content);
  const isInline = children.every((child) => typeof child.text === "string" || child.type === "hardBreak");
  return children.map((child) => textOf(child, depth + 1)).join(isInline ? "" : " ");
}

/** A paragraph holding `text` as one plain run (an empty paragraph when there is none). */
function textParagraph(text: string): CommentBlock {
  return text === "" ? { type: "paragraph" } : { type: "paragraph", content: [{ type: "text", text }] };
}

/** Bold, italic and a link whose address {@link isSafeHref} accepts, in the order link, bold, italic. */
function readMarks(value: unknown): CommentMark[] {
  const marks = asNodes(value);
  const has = (type: string) => marks.some((mark) => mark.type === type);
  const href = attrOf(marks.find((mark) => mark.type === "link") ?? {}, "href");
  return [
    ...(isSafeHref(href) ? [{ type: "link", attrs: { href } } as const] : []),
    ...(has("bold") ? [{ type: "bold" } as const] : []),
    ...(has("italic") ? [{ type: "italic" } as const] : []),
  ];
}

function readInlines(value: unknown): CommentInline[] {
  return asNodes(value).flatMap((node): CommentInline[] => {
    if (node.type === "hardBreak") return [{ type: "hardBreak" }];
    const mention = node.type === "mention" ? readMentionAttrs(node.attrs) : null;
    if (mention) return [{ type: "mention", attrs: mention }];
    const tag = node.type === "tag" ? normalizeTag(attrOf(node, "name")) : null;
    if (tag) return [{ type: "tag", attrs: { name: tag } }];
    if (node.type === "text" && typeof node.text === "string") {
      if (node.text === "") return [];
      const marks = readMarks(node.marks);
      return [
        marks.length > 0 ? { type: "text", text: node.text, marks } : { type: "text", text: node.text },
      ];
    }
    // Anything else inside a paragraph, known or not, is read as its text.
    const text = textOf(node);
    return text === "" ? [] : [{ type: "text", text }];
  });
}

function readListItems(value: unknown, depth: number): CommentListItem[] {
  return asNodes(value).map((node): CommentListItem => ({
    type: "listItem",
    content: node.type === "listItem" ? readBlocks(node.content, depth + 1) : [textParagraph(textOf(node))],
  }));
}

/** An ordered list's first number: a whole number from 0, other than the default 1. */
function readListStart(node: LooseNode): number | undefined {
  const start = attrOf(node, "start");
  return typeof start === "number" && Number.isInteger(start) && start >= 0 && start !== 1
    ? start
    : undefined;
}

function readBlock(node: LooseNode, depth: number): CommentBlock {
  if (depth >= MAX_READ_DEPTH) return textParagraph(textOf(node));
  switch (node.type) {
    case "paragraph": {
      const content = readInlines(node.content);
      return content.length > 0 ? { type: "paragraph", content } : { type: "paragraph" };
    }
    case "blockquote":
      return { type: "blockquote", content: readBlocks(node.content, depth + 1) };
    case "bulletList":
      return { type: "bulletList", content: readListItems(node.content, depth + 1) };
    case "orderedList": {
      const start = readListStart(node);
      const content = readListItems(node.content, depth + 1);
      return start === undefined
        ? { type: "orderedList", content }
        : { type: "orderedList", attrs: { start }, content };
    }
    default:
      // Anything else, known or not, is read as its text and nothing more.
      return textParagraph(textOf(node, depth));
  }
}

function readBlocks(value: unknown, depth: number): CommentBlock[] {
  return asNodes(value).map((node) => readBlock(node, depth));
}

/**
 * A stored comment body as typed nodes, leniently: never throws. Node types
 * outside the subset become their text (a paragraph, or a run inside one);
 * marks other than bold, italic and a safe link (http, https, mailto, by
 * {@link isSafeHref}) are dropped; nesting deeper than {@link MAX_READ_DEPTH}
 * is flattened to text; anything that is not an object reads as an empty body.
 * A body that passed `sanitizeCommentBody` comes back equal to itself.
 */
export function readCommentBody(value: unknown): CommentBody {
  // Nearly every stored body is already what the reader would make of it: returned as it is,
  // not copied (at 10,000 threads the copies were ~35 MB of an export's allocations, all kept
  // to its end). Bodies are never changed in place, so sharing one is safe.
  if (isReadAlready(value)) return value;
  const root: LooseNode = typeof value === "object" && value !== null ? value : {};
  return { type: "doc", content: readBlocks(root.content, 0) };
}

/*
 * True exactly when `readCommentBody(value)` would equal `value`: the reader's rules above,
 * checked without building anything. Each node must have the reader's keys and no others, so
 * anything the reader drops, reduces or reorders sends the body through the reader instead.
 * Held to the reader by read-comment-body.test.ts.
 */

function isReadAlready(value: unknown): value is CommentBody {
  return (
    isPlainNode(value) && value.type === "doc" && keyCount(value) === 2 && areReadBlocks(value.content, 0)
  );
}

function isPlainNode(value: unknown): value is LooseNode {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function keyCount(node: object): number {
  let count = 0;
  for (const key in node) if (Object.hasOwn(node, key)) count++;
  return count;
}

/** `test` holds for every element of an array (a hole fails it, as the reader drops holes). */
function isArrayOf(value: unknown, test: (element: unknown) => boolean): boolean {
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (!test(value[i])) return false;
  return true;
}

function areReadBlocks(value: unknown, depth: number): boolean {
  return isArrayOf(value, (node) => isReadBlock(node, depth));
}

function isReadBlock(node: unknown, depth: number): boolean {
  if (!isPlainNode(node) || depth >= MAX_READ_DEPTH) return false;
  const keys = keyCount(node);
  switch (node.type) {
    case "paragraph":
      if (keys === 1) return true;
      return (
        keys === 2 &&
        Array.isArray(node.content) &&
        node.content.length > 0 &&
        isArrayOf(node.content, isReadInline)
      );
    case "blockquote":
      return keys === 2 && areReadBlocks(node.content, depth + 1);
    case "bulletList":
      return keys === 2 && areReadListItems(node.content, depth + 1);
    case "orderedList": {
      if (keys === 2) return areReadListItems(node.content, depth + 1);
      const start = attrOf(node, "start");
      return (
        keys === 3 &&
        isPlainNode(node.attrs) &&
        keyCount(node.attrs) === 1 &&
        start !== undefined &&
        readListStart(node) === start &&
        areReadListItems(node.content, depth + 1)
      );
    }
    default:
      return false;
  }
}

function areReadListItems(value: unknown, depth: number): boolean {
  return isArrayOf(
    value,
    (node) =>
      isPlainNode(node) &&
      node.type === "listItem" &&
      keyCount(node) === 2 &&
      areReadBlocks(node.content, depth + 1),
  );
}

function isReadInline(node: unknown): boolean {
  if (!isPlainNode(node)) return false;
  const keys = keyCount(node);
  switch (node.type) {
    case "hardBreak":
      return keys === 1;
    case "text":
      if (typeof node.text !== "string" || node.text === "") return false;
      return keys === 2 || (keys === 3 && areReadMarks(node.marks));
    case "mention": {
      if (keys !== 2 || !isPlainNode(node.attrs) || keyCount(node.attrs) !== 2) return false;
      const mention = readMentionAttrs(node.attrs);
      return mention !== null && mention.id === attrOf(node, "id") && mention.label === attrOf(node, "label");
    }
    case "tag": {
      if (keys !== 2 || !isPlainNode(node.attrs) || keyCount(node.attrs) !== 1) return false;
      const name = attrOf(node, "name");
      return typeof name === "string" && normalizeTag(name) === name;
    }
    default:
      return false;
  }
}

/** Marks as {@link readMarks} makes them: at least one, in the order link, bold, italic, each once. */
function areReadMarks(value: unknown): boolean {
  if (!Array.isArray(value) || value.length === 0) return false;
  let previous = -1;
  for (let i = 0; i < value.length; i++) {
    const mark: unknown = value[i];
    if (!isPlainNode(mark)) return false;
    const rank = MARK_ORDER.indexOf(mark.type as (typeof MARK_ORDER)[number]);
    if (rank <= previous) return false;
    previous = rank;
    if (mark.type === "link") {
      if (keyCount(mark) !== 2 || !isPlainNode(mark.attrs) || keyCount(mark.attrs) !== 1) return false;
      if (!isSafeHref(attrOf(mark, "href"))) return false;
    } else if (keyCount(mark) !== 1) return false;
  }
  return true;
}

const MARK_ORDER = ["link", "bold", "italic"] as const;
