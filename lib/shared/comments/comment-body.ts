/**
 * Comment bodies: a small, safe rich-text subset stored as ProseMirror-style
 * JSON. Paragraphs, bold, italic, links, block quotes, bullet and ordered lists
 * and hard breaks; nothing else, and never raw HTML (docs/architecture.md §6).
 *
 * Every body that reaches the database goes through `sanitizeCommentBody`
 * (sanitize-comment-body.ts); every body read back out of a room or a snapshot
 * goes through `readCommentBody` (read-comment-body.ts), which re-checks links
 * with {@link isSafeHref} for bodies that did not come through the API (a
 * private note's), so that renderers walk typed nodes only. This module holds
 * what both share: the types, limits and messages, the link and mention checks,
 * the walks over a body's inlines, and its plain text.
 */
import { closeUpPunctuation } from "./closing-punctuation";
import { TAG_MESSAGES } from "./tags";

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

/** The messages `sanitizeCommentBody` throws, for tests and for the composer. */
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
  addMentionedUserIds(body, ids);
  return [...ids];
}

/** Adds to `ids` the id of everyone `body` mentions (for many bodies at once, without a list per body). */
export function addMentionedUserIds(body: CommentBody, ids: Set<string>): void {
  forEachInline(body.content, (inline) => {
    if (inline.type === "mention") ids.add(inline.attrs.id);
  });
}

/** Every inline node of a body, in reading order (paragraphs inside quotes and lists included). */
export function inlinesOf(body: CommentBody): CommentInline[] {
  const inlines: CommentInline[] = [];
  forEachInline(body.content, (inline) => inlines.push(inline));
  return inlines;
}

/** Calls `visit` with every inline node of `blocks`, in reading order. */
function forEachInline(blocks: readonly CommentBlock[], visit: (inline: CommentInline) => void): void {
  for (const block of blocks) {
    if (block.type === "paragraph") {
      if (block.content) for (const inline of block.content) visit(inline);
    } else if (block.type === "blockquote") forEachInline(block.content, visit);
    else for (const item of block.content) forEachInline(item.content, visit);
  }
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

function inlineText(content: readonly CommentInline[] | undefined): string {
  return closeUpPunctuation(content ?? [])
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
 * pass it through `sanitizeCommentBody` (sanitize-comment-body.ts) before storing it.
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
