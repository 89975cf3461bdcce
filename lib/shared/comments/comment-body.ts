/**
 * Comment bodies: a small, safe rich-text subset stored as ProseMirror-style
 * JSON. Paragraphs, bold, italic, links, block quotes, bullet and ordered lists
 * and hard breaks; nothing else, and never raw HTML (docs/architecture.md §6).
 *
 * Every body that reaches the database goes through {@link sanitizeCommentBody};
 * every body read back out of a room or a snapshot goes through
 * `readCommentBody` (read-comment-body.ts), which re-checks links with
 * {@link isSafeHref} for bodies that did not come through the API (a private
 * note's), so that renderers walk typed nodes only.
 */
import "../validation/zod-in-browsers";
import { z } from "zod";
import { AppError } from "../errors";
import { normalizeTag, TAG_LIMITS, TAG_MESSAGES } from "./tags";

/** Bold, italic or a link on a run of text. */
export type CommentMark =
  | {
      /** Strong emphasis. */
      type: "bold";
    }
  | {
      /** Emphasis. */
      type: "italic";
    }
  | {
      /** A link; always opened in a new tab with `rel="noopener noreferrer"`. */
      type: "link";
      /** Only `href`, which {@link isSafeHref} accepts. */
      attrs: { href: string };
    };

/** A run of text: any characters, never interpreted as markup. */
export type CommentText = {
  /** Node type. */
  type: "text";
  /** The characters; never empty. */
  text: string;
  /** Formatting, in the order link, bold, italic; absent when none. */
  marks?: CommentMark[];
};

/** A line break inside a paragraph. */
export type CommentHardBreak = {
  /** Node type. */
  type: "hardBreak";
};

/**
 * An @mention of a seminar member. The server refuses mentions of anyone who
 * is not a member of the comment's seminar; renderers show the person's
 * current name where they know it, else `label`.
 */
export type CommentMention = {
  /** Node type. */
  type: "mention";
  /** The person's user id, and their name when the comment was written. */
  attrs: { id: string; label: string };
};

/**
 * A `#tag` (docs/adr/0021-tags.md): its name in the stored form of
 * `normalizeTag` (lower case, without the `#`). Shown as `#name`.
 */
export type CommentTag = {
  /** Node type. */
  type: "tag";
  /** The tag's name. */
  attrs: { name: string };
};

/** What a paragraph holds. */
export type CommentInline = CommentText | CommentHardBreak | CommentMention | CommentTag;

/** A paragraph. */
export type CommentParagraph = {
  /** Node type. */
  type: "paragraph";
  /** Text and line breaks; absent for an empty paragraph. */
  content?: CommentInline[];
};

/** A block quote. */
export type CommentBlockquote = {
  /** Node type. */
  type: "blockquote";
  /** At least one block. */
  content: CommentBlock[];
};

/** An item of a bullet or ordered list. */
export type CommentListItem = {
  /** Node type. */
  type: "listItem";
  /** A paragraph first, then any blocks (nested lists, say). */
  content: CommentBlock[];
};

/** A bulleted list. */
export type CommentBulletList = {
  /** Node type. */
  type: "bulletList";
  /** At least one item. */
  content: CommentListItem[];
};

/** A numbered list. */
export type CommentOrderedList = {
  /** Node type. */
  type: "orderedList";
  /** The first number, when it is not 1. */
  attrs?: { start: number };
  /** At least one item. */
  content: CommentListItem[];
};

/** A block-level node. */
export type CommentBlock = CommentParagraph | CommentBlockquote | CommentBulletList | CommentOrderedList;

/** A comment's body: Tiptap/ProseMirror JSON restricted to the comment subset. */
export type CommentBody = {
  /** Node type. */
  type: "doc";
  /** The blocks of the comment. */
  content: CommentBlock[];
};

/** A sanitized body, its plain text (for search, exports and CSV) and its tags. */
export type SanitizedCommentBody = {
  /** The normalised body, safe to store and render. */
  body: CommentBody;
  /** {@link commentBodyToText} of `body`. */
  text: string;
  /** {@link findTags} of `body`: the `Comment.tags` column. */
  tags: string[];
};

/** Limits on one comment body. */
export const COMMENT_BODY_LIMITS = {
  /** Characters of text (UTF-16 code units, as `String.length` counts). */
  maxTextLength: 10_000,
  /** Quotes and lists nested inside one another. */
  maxDepth: 6,
  /** Nodes of every kind, text runs and line breaks included. */
  maxNodes: 1_000,
  /** Characters of one link address. */
  maxHrefLength: 2_048,
  /** Characters of a mentioned person's name. */
  maxMentionLabelLength: 200,
} as const;

/** The messages {@link sanitizeCommentBody} throws, for tests and for the composer. */
export const COMMENT_BODY_MESSAGES = {
  notADocument: 'A comment body must be a document: { "type": "doc", "content": [...] }.',
  malformed: "The comment body is malformed.",
  missingType: "Every part of a comment needs a type.",
  empty: "Write something first: a comment can't be empty.",
  tooLong: "Comments are limited to 10,000 characters.",
  tooDeep: `Quotes and lists can be nested at most ${COMMENT_BODY_LIMITS.maxDepth} levels deep.`,
  tooManyNodes: "Comments are limited to 1,000 paragraphs, list items and other parts.",
  linkProtocol: "Links must start with http://, https:// or mailto:.",
  linkTooLong: "Links can be at most 2,048 characters long.",
  textNotString: "Text must be a string.",
  textOutsideParagraph: "Text and line breaks must be inside a paragraph.",
  blockInParagraph: "Paragraphs can only contain text and line breaks.",
  listItemOutsideList: "List items must be inside a list.",
  listContent: "Lists can only contain list items.",
  emptyList: "A list needs at least one item.",
  listItemStart: "A list item must start with a paragraph.",
  emptyQuote: "A quote can't be empty.",
  nestedDocument: "A comment can't contain another document.",
  mention: "A mention needs the person's id and name.",
  tag: TAG_MESSAGES.invalid,
  tooManyTags: TAG_MESSAGES.tooMany,
} as const;

/** `Comments can't contain "script" elements.` and the like. */
export function unknownNodeMessage(type: string): string {
  return `Comments can't contain ${JSON.stringify(type.slice(0, 40))} elements.`;
}

/** `Comments can't use "underline" formatting.` and the like. */
export function unknownMarkMessage(type: string): string {
  return `Comments can't use ${JSON.stringify(type.slice(0, 40))} formatting.`;
}

const SAFE_PROTOCOLS: ReadonlySet<string> = new Set(["http:", "https:", "mailto:"]);

/**
 * True when `href` is an absolute http:, https: or mailto: URL.
 *
 * The check parses with the WHATWG URL parser, the one browsers use to follow
 * the link, so obfuscations (" JaVaScRiPt:", "java\tscript:", "&#106;avascript:")
 * are judged as a browser would judge them. Relative hrefs are refused: a
 * comment has no base URL we would vouch for.
 */
export function isSafeHref(href: unknown): href is string {
  if (typeof href !== "string" || href.length === 0 || href.length > COMMENT_BODY_LIMITS.maxHrefLength) {
    return false;
  }
  // The URL parser silently strips leading/trailing spaces and C0 controls and
  // drops tabs and newlines anywhere; refuse them rather than store an href
  // that means something other than it reads.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(href) || href.trim() !== href) return false;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return false;
  }
  return SAFE_PROTOCOLS.has(url.protocol);
}

/**
 * What a person typed as a link address, as a safe href, or null.
 *
 * Bare host names ("example.org/page") become https:, bare email addresses
 * become mailto:; anything else must pass {@link isSafeHref} as it is. For the
 * composer's link field and its paste/autolink checks, not for the API, which
 * takes only absolute hrefs.
 */
export function normalizeLinkInput(input: string): string | null {
  const trimmed = input.trim();
  if (trimmed === "") return null;
  // A scheme has no dot, so "example.org:8080" reads as a host with a port.
  if (/^[a-z][a-z0-9+-]*:/i.test(trimmed)) return isSafeHref(trimmed) ? trimmed : null;
  if (/^[^\s@/:?#]+@[^\s@/:?#]+\.[^\s@/:?#]+$/u.test(trimmed)) {
    const href = `mailto:${trimmed}`;
    return isSafeHref(href) ? href : null;
  }
  if (/^[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+(?::\d{1,5})?(?:[/?#]\S*)?$/u.test(trimmed)) {
    const href = `https://${trimmed}`;
    return isSafeHref(href) ? href : null;
  }
  return null;
}

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

/** A mention's attributes when they are a plausible user id and a non-blank name, else null. */
export function readMentionAttrs(attrs: unknown): CommentMention["attrs"] | null {
  if (typeof attrs !== "object" || attrs === null) return null;
  const { id, label } = attrs as { id?: unknown; label?: unknown };
  if (typeof id !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) return null;
  if (typeof label !== "string") return null;
  // eslint-disable-next-line no-control-regex
  const name = label.replace(/[\u0000-\u001f\u007f]/g, " ").trim();
  if (name === "" || name.length > COMMENT_BODY_LIMITS.maxMentionLabelLength) return null;
  return { id, label: name };
}

/** The ids of everyone a body mentions, each once, in order of first mention. */
export function findMentionedUserIds(body: CommentBody): string[] {
  const ids = new Set<string>();
  for (const inline of inlinesOf(body)) if (inline.type === "mention") ids.add(inline.attrs.id);
  return [...ids];
}

/** Every inline node of a body, in reading order (paragraphs inside quotes and lists included). */
export function inlinesOf(body: CommentBody): CommentInline[] {
  const inlines: CommentInline[] = [];
  const visit = (blocks: readonly CommentBlock[]) => {
    for (const block of blocks) {
      if (block.type === "paragraph") inlines.push(...(block.content ?? []));
      else if (block.type === "blockquote") visit(block.content);
      else for (const item of block.content) visit(item.content);
    }
  };
  visit(body.content);
  return inlines;
}

/** The tags of a body, each once, in order of first use. */
export function findTags(body: CommentBody): string[] {
  const tags = new Set<string>();
  for (const inline of inlinesOf(body)) if (inline.type === "tag") tags.add(inline.attrs.name);
  return [...tags];
}

/**
 * The body with every mention labelled by `names` (user id → current name),
 * where it knows the person; other mentions keep the name they were written
 * with. For renderers that know current names (exports).
 */
export function relabelMentions(body: CommentBody, names: ReadonlyMap<string, string>): CommentBody {
  return mapCommentInlines(body, (content) =>
    content.map((inline): CommentInline => {
      if (inline.type !== "mention") return inline;
      const label = names.get(inline.attrs.id);
      return label ? { type: "mention", attrs: { id: inline.attrs.id, label } } : inline;
    }),
  );
}

/** `body` with each paragraph's inlines replaced by `map(inlines)`; blocks, quotes and lists are kept. */
export function mapCommentInlines(
  body: CommentBody,
  map: (content: CommentInline[]) => CommentInline[],
): CommentBody {
  const blocks = (content: CommentBlock[]): CommentBlock[] =>
    content.map((block): CommentBlock => {
      switch (block.type) {
        case "paragraph":
          return block.content ? { type: "paragraph", content: map(block.content) } : block;
        case "blockquote":
          return { type: "blockquote", content: blocks(block.content) };
        case "bulletList":
        case "orderedList":
          return {
            ...block,
            content: block.content.map((item) => ({ ...item, content: blocks(item.content) })),
          };
      }
    });
  return { type: "doc", content: blocks(body.content) };
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

function inlineText(content: readonly CommentInline[] | undefined): string {
  return (content ?? [])
    .map((node) => {
      switch (node.type) {
        case "text":
          return node.text;
        case "mention":
          return `@${node.attrs.label}`;
        case "tag":
          return `#${node.attrs.name}`;
        case "hardBreak":
          return "\n";
      }
    })
    .join("");
}

function blocksText(blocks: readonly CommentBlock[] | undefined, separator: string): string {
  return (blocks ?? []).map(blockText).join(separator);
}

function listText(items: readonly CommentListItem[] | undefined, marker: (index: number) => string): string {
  return (items ?? [])
    .map((item, index) => {
      const prefix = marker(index);
      const pad = " ".repeat(prefix.length);
      // Continuation lines and nested lists line up under the item's text.
      const text = blocksText(item.content, "\n").replace(/\n(?=.)/g, `\n${pad}`);
      return `${prefix}${text}`;
    })
    .join("\n");
}

function blockText(block: CommentBlock): string {
  switch (block.type) {
    case "paragraph":
      return inlineText(block.content);
    case "blockquote":
      return blocksText(block.content, "\n\n");
    case "bulletList":
      return listText(block.content, () => "- ");
    case "orderedList": {
      const start = block.attrs?.start ?? 1;
      return listText(block.content, (index) => `${start + index}. `);
    }
    default:
      return "";
  }
}

/**
 * The plain text of a body, for search, exports and CSV: paragraphs and
 * quotes separated by blank lines, line breaks as newlines, each list item on
 * its own line after "- " or its number, nested items indented under their parent.
 */
export function commentBodyToText(body: CommentBody): string {
  return blocksText(body.content, "\n\n");
}

/**
 * Plain text as a body, for seeds and tests: paragraphs split on blank lines,
 * single newlines as line breaks. The body is not checked against the limits;
 * pass it through {@link sanitizeCommentBody} before storing it.
 */
export function textToCommentBody(text: string): CommentBody {
  const paragraphs = text
    .replace(/\r\n?/g, "\n")
    .split(/\n(?:[^\S\n]*\n)+/)
    .map((paragraph) => paragraph.replace(/^\n+|\n+$/g, ""))
    .filter((paragraph) => paragraph.trim() !== "");
  if (paragraphs.length === 0) return { type: "doc", content: [{ type: "paragraph" }] };
  return {
    type: "doc",
    content: paragraphs.map((paragraph): CommentParagraph => {
      const content = paragraph
        .split("\n")
        .flatMap((line, index): CommentInline[] => [
          ...(index > 0 ? [{ type: "hardBreak" } as const] : []),
          ...(line === "" ? [] : [{ type: "text", text: line } as const]),
        ]);
      return { type: "paragraph", content };
    }),
  };
}
