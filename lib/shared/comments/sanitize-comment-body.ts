/**
 * Checking a comment body from anywhere (an API request, an editor, a seed)
 * against the comment subset of comment-body.ts before it is stored: the
 * sanitizer refuses what it cannot store with a message that says what to fix,
 * and normalises what it keeps. Bodies read back out of rooms and snapshots go
 * through the lenient reader instead (read-comment-body.ts).
 */
import "../validation/zod-in-browsers";
import { z } from "zod";
import { AppError } from "../errors";
import {
  COMMENT_BODY_LIMITS,
  COMMENT_BODY_MESSAGES,
  commentBodyToText,
  isSafeHref,
  readMentionAttrs,
  unknownMarkMessage,
  unknownNodeMessage,
  type CommentBlock,
  type CommentBody,
  type CommentInline,
  type CommentListItem,
  type CommentMark,
} from "./comment-body";
import { normalizeTag, TAG_LIMITS } from "./tags";

/** A sanitized body, its plain text (for search, exports and CSV) and its tags. */
export type SanitizedCommentBody = {
  /** The normalised body, safe to store and render. */
  body: CommentBody;
  /** {@link commentBodyToText} of `body`. */
  text: string;
  /** The tags of `body`, as `findTags` (comment-body.ts) finds them: the `Comment.tags` column. */
  tags: string[];
};

// Shapes of one node and one mark, checked one level at a time: the walk below
// recurses by hand so that depth and node limits stop a hostile, deeply nested
// body before it can exhaust the stack.
const ZNodeShape = z.object({
  type: z.string(COMMENT_BODY_MESSAGES.missingType),
  attrs: z.record(z.string(), z.unknown()).nullish(),
  content: z
    .array(z.unknown())
    .max(COMMENT_BODY_LIMITS.maxNodes, COMMENT_BODY_MESSAGES.tooManyNodes)
    .nullish(),
  marks: z.array(z.unknown()).max(8, COMMENT_BODY_MESSAGES.malformed).nullish(),
  text: z
    .string(COMMENT_BODY_MESSAGES.textNotString)
    .max(COMMENT_BODY_LIMITS.maxTextLength, COMMENT_BODY_MESSAGES.tooLong)
    .optional(),
});
type NodeShape = z.infer<typeof ZNodeShape>;

const ZMarkShape = z.object({
  type: z.string(COMMENT_BODY_MESSAGES.missingType),
  attrs: z.record(z.string(), z.unknown()).nullish(),
});

const BLOCK_TYPES: ReadonlySet<string> = new Set(["paragraph", "blockquote", "bulletList", "orderedList"]);
const KNOWN_NODE_TYPES: ReadonlySet<string> = new Set([
  "doc",
  "text",
  "hardBreak",
  "mention",
  "tag",
  "listItem",
  ...BLOCK_TYPES,
]);
const MARK_ORDER = ["link", "bold", "italic"] as const;

/** What a walk has seen so far. */
type Walk = { nodes: number; textLength: number; hasText: boolean; tags: Set<string> };

function fail(message: string, at: string): never {
  throw new AppError("invalid_input", message, { at: at || "/" });
}

function parseShape<T>(schema: z.ZodType<T>, value: unknown, at: string, fallback: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  // Our own messages are worth showing; zod's generic ones ("Invalid input") are not.
  const ours = Object.values(COMMENT_BODY_MESSAGES) as string[];
  const message = issue && ours.includes(issue.message) ? issue.message : fallback;
  fail(message, `${at}${issue && issue.path.length > 0 ? `/${issue.path.join("/")}` : ""}`);
}

function readNode(value: unknown, at: string, walk: Walk): NodeShape {
  walk.nodes += 1;
  if (walk.nodes > COMMENT_BODY_LIMITS.maxNodes) fail(COMMENT_BODY_MESSAGES.tooManyNodes, at);
  return parseShape(ZNodeShape, value, at, COMMENT_BODY_MESSAGES.malformed);
}

function sanitizeMarks(values: unknown[], at: string, isLinkAllowed = true): CommentMark[] {
  const byType = new Map<CommentMark["type"], CommentMark>();
  values.forEach((value, index) => {
    const here = `${at}/marks/${index}`;
    const mark = parseShape(ZMarkShape, value, here, COMMENT_BODY_MESSAGES.malformed);
    if (mark.type === "bold" || mark.type === "italic") {
      if (!byType.has(mark.type)) byType.set(mark.type, { type: mark.type });
    } else if (mark.type === "link") {
      const href = mark.attrs?.href;
      if (typeof href === "string" && href.length > COMMENT_BODY_LIMITS.maxHrefLength) {
        fail(COMMENT_BODY_MESSAGES.linkTooLong, here);
      }
      if (!isSafeHref(href)) fail(COMMENT_BODY_MESSAGES.linkProtocol, here);
      if (isLinkAllowed && !byType.has("link")) byType.set("link", { type: "link", attrs: { href } });
    } else {
      fail(unknownMarkMessage(mark.type), here);
    }
  });
  return MARK_ORDER.flatMap((type) => byType.get(type) ?? []);
}

function sanitizeInlines(values: unknown[], at: string, walk: Walk): CommentInline[] {
  const inlines: CommentInline[] = [];
  values.forEach((value, index) => {
    const here = `${at}/content/${index}`;
    const node = readNode(value, here, walk);
    if (node.type === "hardBreak") {
      // Tiptap lets a line break inherit the marks around it; they mean nothing on a break.
      sanitizeMarks(node.marks ?? [], here, false);
      inlines.push({ type: "hardBreak" });
    } else if (node.type === "mention") {
      sanitizeMarks(node.marks ?? [], here, false);
      const mention = readMentionAttrs(node.attrs);
      if (!mention) fail(COMMENT_BODY_MESSAGES.mention, here);
      walk.textLength += mention.label.length + 1;
      if (walk.textLength > COMMENT_BODY_LIMITS.maxTextLength) fail(COMMENT_BODY_MESSAGES.tooLong, here);
      walk.hasText = true;
      inlines.push({ type: "mention", attrs: mention });
    } else if (node.type === "tag") {
      sanitizeMarks(node.marks ?? [], here, false);
      const name = normalizeTag(node.attrs?.name);
      if (!name) fail(COMMENT_BODY_MESSAGES.tag, here);
      walk.tags.add(name);
      if (walk.tags.size > TAG_LIMITS.maxPerComment) fail(COMMENT_BODY_MESSAGES.tooManyTags, here);
      walk.textLength += name.length + 1;
      if (walk.textLength > COMMENT_BODY_LIMITS.maxTextLength) fail(COMMENT_BODY_MESSAGES.tooLong, here);
      walk.hasText = true;
      inlines.push({ type: "tag", attrs: { name } });
    } else if (node.type === "text") {
      if (node.text === undefined) fail(COMMENT_BODY_MESSAGES.textNotString, here);
      // Postgres text columns refuse U+0000, so it would fail the write later, with a worse error.
      const text = node.text.replaceAll("\u0000", "");
      const marks = sanitizeMarks(node.marks ?? [], here);
      walk.textLength += text.length;
      if (walk.textLength > COMMENT_BODY_LIMITS.maxTextLength) fail(COMMENT_BODY_MESSAGES.tooLong, here);
      if (text === "") return;
      if (/\S/u.test(text)) walk.hasText = true;
      inlines.push(marks.length > 0 ? { type: "text", text, marks } : { type: "text", text });
    } else if (KNOWN_NODE_TYPES.has(node.type)) {
      fail(COMMENT_BODY_MESSAGES.blockInParagraph, here);
    } else {
      fail(unknownNodeMessage(node.type), here);
    }
  });
  return inlines;
}

function sanitizeListItems(values: unknown[], at: string, depth: number, walk: Walk): CommentListItem[] {
  if (values.length === 0) fail(COMMENT_BODY_MESSAGES.emptyList, at);
  return values.map((value, index) => {
    const here = `${at}/content/${index}`;
    const node = readNode(value, here, walk);
    if (node.type !== "listItem") {
      fail(
        KNOWN_NODE_TYPES.has(node.type) ? COMMENT_BODY_MESSAGES.listContent : unknownNodeMessage(node.type),
        here,
      );
    }
    const content = sanitizeBlocks(node.content ?? [], here, depth, walk);
    if (content[0]?.type !== "paragraph") fail(COMMENT_BODY_MESSAGES.listItemStart, here);
    return { type: "listItem", content };
  });
}

/** A valid `start` of an ordered list, or undefined for the default (1) and anything odd. */
function readListStart(attrs: NodeShape["attrs"]): number | undefined {
  const start = attrs?.start;
  return typeof start === "number" && Number.isInteger(start) && start >= 0 && start <= 99_999 && start !== 1
    ? start
    : undefined;
}

function sanitizeBlocks(values: unknown[], at: string, depth: number, walk: Walk): CommentBlock[] {
  return values.map((value, index): CommentBlock => {
    const here = `${at}/content/${index}`;
    const node = readNode(value, here, walk);
    switch (node.type) {
      case "paragraph": {
        const content = sanitizeInlines(node.content ?? [], here, walk);
        return content.length > 0 ? { type: "paragraph", content } : { type: "paragraph" };
      }
      case "blockquote":
      case "bulletList":
      case "orderedList": {
        if (depth + 1 > COMMENT_BODY_LIMITS.maxDepth) fail(COMMENT_BODY_MESSAGES.tooDeep, here);
        if (node.type === "blockquote") {
          if (!node.content?.length) fail(COMMENT_BODY_MESSAGES.emptyQuote, here);
          return { type: "blockquote", content: sanitizeBlocks(node.content, here, depth + 1, walk) };
        }
        const content = sanitizeListItems(node.content ?? [], here, depth + 1, walk);
        if (node.type === "bulletList") return { type: "bulletList", content };
        const start = readListStart(node.attrs);
        return start === undefined
          ? { type: "orderedList", content }
          : { type: "orderedList", attrs: { start }, content };
      }
      case "text":
      case "hardBreak":
        return fail(COMMENT_BODY_MESSAGES.textOutsideParagraph, here);
      case "listItem":
        return fail(COMMENT_BODY_MESSAGES.listItemOutsideList, here);
      case "doc":
        return fail(COMMENT_BODY_MESSAGES.nestedDocument, here);
      default:
        return fail(unknownNodeMessage(node.type), here);
    }
  });
}

function isEmptyParagraph(block: CommentBlock | undefined): boolean {
  return block?.type === "paragraph" && !block.content;
}

/**
 * Validates and normalises a comment body from anywhere (an API request, an
 * editor, a seed), returning it with its plain text.
 *
 * Normalising drops unknown attributes and keys, empty text runs, marks on
 * line breaks, repeated marks, U+0000, and empty paragraphs at the start and
 * end; marks come out in the order link, bold, italic. Anything outside the
 * subset, an unsafe link, or a body over the limits throws an
 * `AppError("invalid_input")` whose message says what to fix and whose
 * `details.at` points at the offending node ("/content/0/content/2").
 */
export function sanitizeCommentBody(input: unknown): SanitizedCommentBody {
  if (typeof input !== "object" || input === null || (input as { type?: unknown }).type !== "doc") {
    fail(COMMENT_BODY_MESSAGES.notADocument, "");
  }
  const top = parseShape(ZNodeShape, input, "", COMMENT_BODY_MESSAGES.malformed);
  const walk: Walk = { nodes: 0, textLength: 0, hasText: false, tags: new Set() };
  const content = sanitizeBlocks(top.content ?? [], "", 0, walk);
  while (isEmptyParagraph(content[0])) content.shift();
  while (isEmptyParagraph(content.at(-1))) content.pop();
  // Judged on the text runs, not on the plain text, whose list markers are not something said.
  if (!walk.hasText) fail(COMMENT_BODY_MESSAGES.empty, "");
  const body: CommentBody = { type: "doc", content };
  return { body, text: commentBodyToText(body), tags: [...walk.tags] };
}

/** A comment body in a request: any JSON in, a {@link SanitizedCommentBody} out. */
export const ZCommentBodyInput = z.unknown().transform((value, ctx): SanitizedCommentBody => {
  try {
    return sanitizeCommentBody(value);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    ctx.addIssue({ code: "custom", message: error.message, params: error.details });
    return z.NEVER;
  }
});
/** What {@link ZCommentBodyInput} gives. */
export type TCommentBodyInput = z.output<typeof ZCommentBodyInput>;
