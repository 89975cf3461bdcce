/**
 * The annotated copy as one self-contained HTML file (docs/adr/0009): the
 * text set like a book, each annotated passage highlighted in its category's
 * colour with a small numbered marker, and the threads as numbered notes in
 * a margin column beside their passages. Everything is inline (CSS, fonts as
 * data: URLs); there is no script, so it reads the same with JavaScript off,
 * and a Content-Security-Policy forbids any script or request should
 * something ever slip through. All text is escaped; comment bodies are
 * rendered by a whitelist of node and mark types, never as HTML (§7).
 *
 * The PDF export (pdf.ts) renders the same markup with `forPdf`, which adds
 * a page-layout stylesheet; its layout script then paginates it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Node as PMNode } from "@tiptap/pm/model";
import { isSafeHref } from "@/lib/shared/comments/comment-body";
import type { ExportComment, ExportData, ExportThread } from "./load-export-data";

/** How to render. */
export type HtmlExportOptions = {
  /** The variant that pdf.ts paginates (adds its page stylesheet and hooks). */
  forPdf?: boolean;
};

/** Escapes text for HTML content and for quoted attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/** A category colour we are willing to put into a style attribute, or null. */
function safeColor(color: string | null | undefined): string | null {
  return color && HEX_COLOR.test(color) ? color.toLowerCase() : null;
}

// ---------------------------------------------------------------------------
// Fonts
// ---------------------------------------------------------------------------

/** The faces we embed: the latin subsets only, which keeps the file near 200 kB. */
const FONT_FILES = [
  {
    family: "Source Serif 4 Variable",
    style: "normal",
    file: "@fontsource-variable/source-serif-4/files/source-serif-4-latin-wght-normal.woff2",
  },
  {
    family: "Source Serif 4 Variable",
    style: "italic",
    file: "@fontsource-variable/source-serif-4/files/source-serif-4-latin-wght-italic.woff2",
  },
  {
    family: "Inter Variable",
    style: "normal",
    file: "@fontsource-variable/inter/files/inter-latin-wght-normal.woff2",
  },
] as const;

/** The latin subset's range, as @fontsource declares it: other characters fall back per glyph. */
const LATIN_RANGE =
  "U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD";

let fontFaceCss: string | null = null;

/**
 * @font-face rules with the fonts as data: URLs, read once per process. A
 * face that cannot be read (a deployment without node_modules, say) is left
 * out, and the font stacks fall back to Georgia / system sans.
 */
export function embeddedFontCss(): string {
  if (fontFaceCss !== null) return fontFaceCss;
  const rules: string[] = [];
  for (const face of FONT_FILES) {
    try {
      const data = readFileSync(path.join(process.cwd(), "node_modules", face.file)).toString("base64");
      rules.push(
        `@font-face{font-family:"${face.family}";font-style:${face.style};font-weight:200 900;font-display:swap;` +
          `src:url(data:font/woff2;base64,${data}) format("woff2");unicode-range:${LATIN_RANGE}}`,
      );
    } catch {
      // Missing font file: the fallback fonts in the stacks take over.
    }
  }
  fontFaceCss = rules.join("\n");
  return fontFaceCss;
}

// ---------------------------------------------------------------------------
// Dates and labels
// ---------------------------------------------------------------------------

// UTC, so one export reads the same wherever the server runs.
const LONG_DATE = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "UTC",
});
const SHORT_DATE = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});

function toDate(value: Date | string): Date | null {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "12 March 2026" (UTC). */
export function formatLongDate(value: Date | string): string {
  const date = toDate(value);
  return date ? LONG_DATE.format(date) : "";
}

function formatShortDate(value: Date | string): string {
  const date = toDate(value);
  return date ? SHORT_DATE.format(date) : "";
}

function timeTag(value: string | Date, text = formatShortDate(value)): string {
  const date = toDate(value);
  if (!date) return "";
  return `<time datetime="${escapeHtml(date.toISOString())}">${escapeHtml(text)}</time>`;
}

const KIND_LABELS: Record<ExportThread["kind"], string> = {
  HIGHLIGHT: "Highlight",
  COMMENT: "Comment",
  GUIDING_QUESTION: "Guiding question",
  NOTE: "Private note",
};

/** What the export holds, in words: "Seminar discussion and private notes of Ana". */
export function describeLayers(data: ExportData): string {
  switch (data.options.layers) {
    case "seminar":
      return "Seminar discussion";
    case "private":
      return `Private notes of ${data.exporter.name}`;
    case "both":
      return `Seminar discussion and private notes of ${data.exporter.name}`;
  }
}

function participantName(data: ExportData, id: string): string | null {
  for (const thread of data.threads) {
    if (thread.author.id === id) return thread.author.name;
    for (const comment of thread.comments) if (comment.author.id === id) return comment.author.name;
  }
  return null;
}

/** The live reading's address, or null when the origin is not an http(s) origin. */
function readingUrl(data: ExportData, origin: string): string | null {
  try {
    const url = new URL(origin);
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    return new URL(
      `/seminars/${encodeURIComponent(data.seminar.id)}/readings/${encodeURIComponent(data.document.id)}`,
      url.origin,
    ).toString();
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------
// Comment bodies: a whitelist, as app/reading/comment-body-view.tsx renders them
// ---------------------------------------------------------------------------

/** A node as it may really be: a stored body may predate, or never have passed, the sanitizer. */
type LooseNode = { type?: unknown; text?: unknown; content?: unknown; marks?: unknown; attrs?: unknown };

// Far beyond what the sanitizer lets through (6 levels), low enough that a
// hostile body cannot exhaust the stack while rendering.
const MAX_RENDER_DEPTH = 24;

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

function looseText(node: LooseNode, depth = 0): string {
  if (typeof node.text === "string") return node.text;
  if (node.type === "hardBreak") return "\n";
  if (depth >= MAX_RENDER_DEPTH) return "";
  const children = asNodes(node.content);
  const isInline = children.every((child) => typeof child.text === "string" || child.type === "hardBreak");
  return children.map((child) => looseText(child, depth + 1)).join(isInline ? "" : " ");
}

function hasMark(node: LooseNode, type: string): boolean {
  return asNodes(node.marks).some((mark) => mark.type === type);
}

function safeLinkOf(node: LooseNode): string | null {
  const link = asNodes(node.marks).find((mark) => mark.type === "link");
  const href = link ? attrOf(link, "href") : null;
  return isSafeHref(href) ? href : null;
}

function bodyInline(node: LooseNode): string {
  if (node.type === "hardBreak") return "<br>";
  if (node.type !== "text" || typeof node.text !== "string") return escapeHtml(looseText(node));
  let html = escapeHtml(node.text);
  if (hasMark(node, "italic")) html = `<em>${html}</em>`;
  if (hasMark(node, "bold")) html = `<strong>${html}</strong>`;
  return html;
}

/** A paragraph's content, consecutive runs under the same (safe) link joined into one anchor. */
function bodyInlines(value: unknown): string {
  const nodes = asNodes(value);
  let html = "";
  for (let index = 0; index < nodes.length;) {
    const node = nodes[index] as LooseNode;
    const href = node.type === "text" ? safeLinkOf(node) : null;
    if (href === null) {
      html += bodyInline(node);
      index += 1;
      continue;
    }
    let run = "";
    while (index < nodes.length) {
      const next = nodes[index] as LooseNode;
      if (next.type !== "text" || safeLinkOf(next) !== href) break;
      run += bodyInline(next);
      index += 1;
    }
    html += `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${run}</a>`;
  }
  return html;
}

function bodyBlock(node: LooseNode, depth: number): string {
  if (depth >= MAX_RENDER_DEPTH) return `<p>${escapeHtml(looseText(node))}</p>`;
  switch (node.type) {
    case "paragraph":
      return `<p>${bodyInlines(node.content)}</p>`;
    case "blockquote":
      return `<blockquote>${bodyBlocks(node.content, depth + 1)}</blockquote>`;
    case "bulletList":
      return `<ul>${bodyListItems(node.content, depth + 1)}</ul>`;
    case "orderedList": {
      const start = attrOf(node, "start");
      const isValidStart = typeof start === "number" && Number.isInteger(start) && start >= 0 && start !== 1;
      return `<ol${isValidStart ? ` start="${start}"` : ""}>${bodyListItems(node.content, depth + 1)}</ol>`;
    }
    default:
      // Anything else, known or not, shows its text and nothing more.
      return `<p>${escapeHtml(looseText(node, depth))}</p>`;
  }
}

function bodyListItems(value: unknown, depth: number): string {
  return asNodes(value)
    .map(
      (node) =>
        `<li>${node.type === "listItem" ? bodyBlocks(node.content, depth + 1) : escapeHtml(looseText(node))}</li>`,
    )
    .join("");
}

function bodyBlocks(value: unknown, depth: number): string {
  return asNodes(value)
    .map((node) => bodyBlock(node, depth))
    .join("");
}

/**
 * A comment body as an HTML string, by a whitelist of node and mark types:
 * every character of text is escaped, links are re-checked with
 * `isSafeHref` (http, https, mailto) and an unsafe one shows as plain text.
 */
export function renderCommentBodyHtml(body: unknown): string {
  const root: LooseNode = typeof body === "object" && body !== null ? body : {};
  return bodyBlocks(root.content, 0);
}

// ---------------------------------------------------------------------------
// Threads as notes
// ---------------------------------------------------------------------------

function authorHtml(author: { name: string; role: string | null }): string {
  const badge = author.role === "INSTRUCTOR" ? ` <span class="badge">Instructor</span>` : "";
  return `<span class="author">${escapeHtml(author.name)}</span>${badge}`;
}

function commentHtml(comment: ExportComment, children: string): string {
  let body: string;
  if (comment.isDeleted) body = `<p class="gone">This comment was deleted.</p>`;
  else if (comment.isHidden) body = `<p class="gone">Hidden by an instructor.</p>`;
  else body = comment.body ? renderCommentBodyHtml(comment.body) : "";
  const edited = comment.editedAt ? ` <span class="edited">(edited)</span>` : "";
  return (
    `<li class="comment"><p class="comment-meta">${authorHtml(comment.author)}` +
    ` <span class="sep">·</span> ${timeTag(comment.createdAt)}${edited}</p>` +
    `<div class="comment-body">${body}</div>${children}</li>`
  );
}

// Replies nest visibly down to this depth; deeper ones line up at it, so a
// long exchange stays readable in a narrow margin.
const MAX_REPLY_INDENT = 2;

/** A top-level comment with every reply under it: the unit a long thread is divided by. */
type CommentUnit = { comment: ExportComment; replies: ExportComment[] };

/**
 * The thread's comments as units, in order. Replies nest visibly down to
 * {@link MAX_REPLY_INDENT}; deeper ones line up at that depth, so a long
 * exchange stays readable in a narrow margin.
 */
function commentUnits(comments: ExportComment[]): {
  units: CommentUnit[];
  render: (unit: CommentUnit) => string;
} {
  const ids = new Set(comments.map((comment) => comment.id));
  const children = new Map<string | null, ExportComment[]>();
  for (const comment of comments) {
    // A reply whose parent is not in the export (filtered out) stands at the top.
    const parent = comment.parentId && ids.has(comment.parentId) ? comment.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(comment);
    children.set(parent, list);
  }
  const descendants = (id: string): ExportComment[] =>
    (children.get(id) ?? []).flatMap((reply) => [reply, ...descendants(reply.id)]);
  const renderReplies = (id: string, depth: number): string => {
    const replies = children.get(id) ?? [];
    if (replies.length === 0) return "";
    const items =
      depth < MAX_REPLY_INDENT
        ? replies.map((reply) => commentHtml(reply, renderReplies(reply.id, depth + 1)))
        : descendants(id).map((reply) => commentHtml(reply, ""));
    return `<ol class="replies">${items.join("")}</ol>`;
  };
  const units = (children.get(null) ?? []).map((comment) => ({
    comment,
    replies: descendants(comment.id),
  }));
  return { units, render: (unit) => commentHtml(unit.comment, renderReplies(unit.comment.id, 1)) };
}

function quoteHtml(quote: ExportThread["quote"]): string {
  const prefix = quote.prefix ? `…${escapeHtml(quote.prefix.trimStart())}` : "";
  const suffix = quote.suffix ? `${escapeHtml(quote.suffix.trimEnd())}…` : "";
  return `<blockquote class="note-quote">${prefix}<mark>${escapeHtml(quote.exact)}</mark>${suffix}</blockquote>`;
}

function swatchStyle(color: string | null): string {
  return color ? ` style="--swatch:${color}"` : "";
}

type NoteOptions = {
  /** In the margin (numbered link back to the passage), or in the detached list (with its quote). */
  where: "margin" | "detached";
  /** Render only the first `split` comment units, ending with a pointer to the continuation. */
  split?: number;
};

function noteHeadHtml(thread: ExportThread, numberHtml: string, suffix = ""): string {
  const color = safeColor(thread.category?.color);
  const category = thread.category
    ? `<span class="note-cat"><span class="swatch"${swatchStyle(color)}></span>${escapeHtml(thread.category.name)}</span>`
    : "";
  const flags = [
    thread.layer === "private" ? `<span class="flag flag-private">Private</span>` : "",
    thread.pinned ? `<span class="flag flag-pinned">Pinned</span>` : "",
    thread.resolvedAt ? `<span class="flag flag-resolved">Resolved</span>` : "",
  ].join("");
  return `<header class="note-head">${numberHtml}<span class="note-kind">${KIND_LABELS[thread.kind]}${suffix}</span>${category}${flags}</header>`;
}

function noteClasses(thread: ExportThread, extra: string[] = []): string {
  const classes = ["note", `note-${thread.kind.toLowerCase().replace("_", "-")}`, ...extra];
  if (thread.layer === "private") classes.push("is-private");
  if (thread.resolvedAt) classes.push("is-resolved");
  return classes.join(" ");
}

/** One thread as a note: number, kind and category, flags, comments, resolution. */
function noteHtml(thread: ExportThread, options: NoteOptions): string {
  const n = thread.number;
  const numberHtml =
    options.where === "margin"
      ? `<a class="note-num" href="#passage-${n}" aria-label="Note ${n}, back to its passage">${n}</a>`
      : `<span class="note-num">${n}</span>`;
  const byline =
    thread.kind === "HIGHLIGHT"
      ? `<p class="note-byline">Highlighted by ${authorHtml(thread.author)} <span class="sep">·</span> ${timeTag(thread.createdAt)}</p>`
      : "";
  const { units, render } = commentUnits(thread.comments);
  const shown = options.split === undefined ? units : units.slice(0, options.split);
  const comments = shown.length > 0 ? `<ol class="comments">${shown.map(render).join("")}</ol>` : "";
  const more =
    options.split !== undefined
      ? `<p class="note-more"><a href="#thread-${n}-more">${units.length - shown.length} more ${units.length - shown.length === 1 ? "comment" : "comments"} below the paragraph ↓</a></p>`
      : "";
  const resolved = thread.resolvedAt && options.split === undefined ? resolvedHtml(thread) : "";
  const label = `${KIND_LABELS[thread.kind]} ${n}`;
  return (
    `<aside class="${noteClasses(thread)}" id="thread-${n}" data-note="${n}" aria-label="${escapeHtml(label)}">` +
    noteHeadHtml(thread, numberHtml) +
    (options.where === "detached" ? quoteHtml(thread.quote) : "") +
    byline +
    comments +
    more +
    resolved +
    `</aside>`
  );
}

function resolvedHtml(thread: ExportThread): string {
  return thread.resolvedAt
    ? `<p class="note-resolved">Resolved${thread.resolvedByName ? ` by ${escapeHtml(thread.resolvedByName)}` : ""} <span class="sep">·</span> ${timeTag(thread.resolvedAt)}</p>`
    : "";
}

/** The rest of a thread that did not fit beside its paragraph, set below it. */
function noteContinuationHtml(thread: ExportThread, from: number): string {
  const n = thread.number;
  const { units, render } = commentUnits(thread.comments);
  const numberHtml = `<a class="note-num" href="#thread-${n}" aria-label="Note ${n}, its beginning">${n}</a>`;
  return (
    `<aside class="${noteClasses(thread, ["note-continued"])}" id="thread-${n}-more" data-note="${n}" aria-label="${escapeHtml(`${KIND_LABELS[thread.kind]} ${n}, continued`)}">` +
    noteHeadHtml(thread, numberHtml, ", continued") +
    `<ol class="comments">${units.slice(from).map(render).join("")}</ol>` +
    resolvedHtml(thread) +
    `</aside>`
  );
}

// ---------------------------------------------------------------------------
// How much fits beside a paragraph (screen variant)
// ---------------------------------------------------------------------------

// Rough metrics of the wide screen layout (18px serif over 34rem, notes in
// 12px sans over 17.5rem). Only used to keep a long thread from opening a
// gap of several screens in the text; the estimate may be off by a line or two.
const TEXT_CHARS_PER_LINE = 64;
const TEXT_LINE_PX = 29;
const NOTE_CHARS_PER_LINE = 42;
const NOTE_LINE_PX = 17.7;
const NOTE_CHROME_PX = 48;
const COMMENT_CHROME_PX = 26;
/** A passage's notes may run this much below the paragraph before the rest continues under it. */
const MARGIN_OVERRUN_PX = 140;
const MIN_MARGIN_BUDGET_PX = 360;

function linesOf(text: string, perLine: number): number {
  return text.split("\n").reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / perLine)), 0);
}

function estimateCommentPx(comment: ExportComment, depth: number): number {
  const perLine = NOTE_CHARS_PER_LINE - Math.min(depth, MAX_REPLY_INDENT) * 3;
  const text = comment.isDeleted || comment.isHidden ? "Hidden" : comment.text;
  return COMMENT_CHROME_PX + linesOf(text, perLine) * NOTE_LINE_PX;
}

function estimateUnitPx(unit: CommentUnit): number {
  return (
    estimateCommentPx(unit.comment, 0) +
    unit.replies.reduce((sum, reply) => sum + estimateCommentPx(reply, 1), 0)
  );
}

/** Characters per line and line height of a kind of block (the essay's notes are set smaller). */
type BlockMetrics = { charsPerLine: number; linePx: number };
const TEXT_METRICS: BlockMetrics = { charsPerLine: TEXT_CHARS_PER_LINE, linePx: TEXT_LINE_PX };
const FOOTNOTE_METRICS: BlockMetrics = { charsPerLine: 70, linePx: 23 };

/** Where a note sits beside its paragraph on a wide screen. */
type MarginPlace = {
  /** Comment units shown in the margin; undefined when the whole thread is. */
  split?: number;
  /** Space above the note, so that it starts near its passage's line (estimated), px. */
  offsetPx: number;
};

/**
 * Which notes go beside the paragraph, how far down, and where long ones are
 * cut. `offsetOf` estimates how far down the paragraph a thread's passage
 * starts, px.
 */
function planMargin(
  threads: ExportThread[],
  blockPx: number,
  offsetOf: (thread: ExportThread) => number,
): Map<string, MarginPlace> {
  const budget = Math.max(blockPx + MARGIN_OVERRUN_PX, MIN_MARGIN_BUDGET_PX);
  // Never lower than two lines above the paragraph's end: the estimate may be long.
  const lowest = Math.max(0, blockPx - 2 * TEXT_LINE_PX);
  const plan = new Map<string, MarginPlace>();
  let used = 0;
  for (const thread of threads) {
    const offsetPx = Math.round(Math.max(0, Math.min(offsetOf(thread), lowest) - used));
    used += offsetPx;
    const { units } = commentUnits(thread.comments);
    const sizes = units.map(estimateUnitPx);
    const total = NOTE_CHROME_PX + sizes.reduce((sum, size) => sum + size, 0);
    if (used + total <= budget || units.length <= 1) {
      plan.set(thread.id, { offsetPx });
      used += total;
      continue;
    }
    // At least the first comment stays beside the passage.
    let shown = 1;
    let height = NOTE_CHROME_PX + (sizes[0] as number);
    while (shown < units.length - 1 && used + height + (sizes[shown] as number) <= budget) {
      height += sizes[shown] as number;
      shown += 1;
    }
    plan.set(thread.id, { split: shown, offsetPx });
    used += height;
  }
  return plan;
}

// ---------------------------------------------------------------------------
// The text, with highlights and markers
// ---------------------------------------------------------------------------

type Span = { thread: ExportThread; from: number; to: number };

type TextContext = {
  spans: Span[];
  /** Every range edge, ascending. */
  cuts: number[];
  /** Range edges not yet written (markers and start anchors), ascending. */
  events: { pos: number; isEnd: boolean; thread: ExportThread }[];
  next: number;
};

function kindClass(thread: ExportThread): string {
  if (thread.layer === "private") return "hl-note";
  if (safeColor(thread.category?.color)) return "hl-cat";
  if (thread.kind === "GUIDING_QUESTION") return "hl-question";
  if (thread.kind === "COMMENT") return "hl-comment";
  return "hl-highlight";
}

/** The opening tag for text under these threads (newest on top, as the reading page draws it). */
function highlightOpen(over: Span[]): string {
  const sorted = [...over].sort((a, b) => b.thread.createdAt.localeCompare(a.thread.createdAt));
  const top = (sorted[0] as Span).thread;
  const color = safeColor(top.category?.color);
  const classes = ["hl", kindClass(top)];
  if (over.length > 1) classes.push("hl-multi");
  if (top.resolvedAt) classes.push("hl-resolved");
  const numbers = over
    .map((span) => span.thread.number)
    .sort((a, b) => a - b)
    .join(" ");
  return `<mark class="${classes.join(" ")}" data-notes="${numbers}"${color ? ` style="--hl:${color}"` : ""}>`;
}

function spansOver(context: TextContext, from: number, to: number): Span[] {
  return context.spans.filter((span) => span.from <= from && span.to >= to);
}

/** Writes the markers and start anchors at or before `pos`: markers first, grouped, then anchors. */
function flushEvents(context: TextContext, pos: number): string {
  const due: TextContext["events"] = [];
  while (
    context.next < context.events.length &&
    (context.events[context.next] as { pos: number }).pos <= pos
  ) {
    due.push(context.events[context.next] as TextContext["events"][number]);
    context.next += 1;
  }
  if (due.length === 0) return "";
  let html = "";
  const ends = due.filter((event) => event.isEnd);
  if (ends.length > 0) {
    const links = ends
      .map(
        (event) =>
          `<a id="mark-${event.thread.number}" href="#thread-${event.thread.number}" aria-label="Note ${event.thread.number}">${event.thread.number}</a>`,
      )
      .join(`<span class="mk-sep">,</span>`);
    // A marker inside a passage that goes on is highlighted like it.
    const around = context.spans.filter((span) => span.from < pos && span.to > pos);
    const sup = `<sup class="mk">${links}</sup>`;
    html += around.length > 0 ? `${highlightOpen(around)}${sup}</mark>` : sup;
  }
  for (const event of due)
    if (!event.isEnd) html += `<span class="pa" id="passage-${event.thread.number}"></span>`;
  return html;
}

function markText(text: string, marks: readonly { type: { name: string } }[]): string {
  let html = escapeHtml(text);
  if (marks.some((mark) => mark.type.name === "italic")) html = `<em>${html}</em>`;
  if (marks.some((mark) => mark.type.name === "bold")) html = `<strong>${html}</strong>`;
  return html;
}

/** A textblock's content at `start`: text cut at every range edge, highlighted, with markers. */
function inlineHtml(node: PMNode, start: number, context: TextContext): string {
  let html = "";
  node.forEach((child, offset) => {
    const pos = start + offset;
    html += flushEvents(context, pos);
    if (child.isText) {
      const text = child.text ?? "";
      const end = pos + text.length;
      const points = [pos, ...context.cuts.filter((cut) => cut > pos && cut < end), end];
      for (let i = 0; i < points.length - 1; i++) {
        const from = points[i] as number;
        const to = points[i + 1] as number;
        if (i > 0) html += flushEvents(context, from);
        const piece = markText(text.slice(from - pos, to - pos), child.marks);
        const over = spansOver(context, from, to);
        html += over.length > 0 ? `${highlightOpen(over)}${piece}</mark>` : piece;
      }
    } else if (child.type.name === "footnoteReference") {
      const n = Number(child.attrs.number) || 0;
      html +=
        `<sup class="fn-ref" id="ref-${n}">` +
        `<a href="#note-${n}" role="doc-noteref" aria-label="Note ${n} of the text">${n}</a></sup>`;
    } else {
      html += escapeHtml(child.textContent);
    }
  });
  html += flushEvents(context, start + node.content.size);
  return html;
}

/** A note column's position in the text: the top-level block (or footnote) its passage starts in. */
type Unit = { from: number; to: number; threads: ExportThread[] };

function blockHtml(node: PMNode, pos: number, context: TextContext): string {
  switch (node.type.name) {
    case "title":
      return `<h1 class="doc-title">${inlineHtml(node, pos + 1, context)}</h1>`;
    case "byline":
      return `<p class="doc-byline">${inlineHtml(node, pos + 1, context)}</p>`;
    case "source":
      return `<p class="doc-source">${inlineHtml(node, pos + 1, context)}</p>`;
    case "paragraph":
      return `<p>${inlineHtml(node, pos + 1, context)}</p>`;
    case "blockquote": {
      let inner = "";
      node.forEach((child, offset) => {
        inner += blockHtml(child, pos + 1 + offset, context);
      });
      return `<blockquote>${inner}</blockquote>`;
    }
    default:
      if (node.isTextblock) return `<p>${inlineHtml(node, pos + 1, context)}</p>`;
      return `<p>${escapeHtml(node.textContent)}</p>`;
  }
}

function passageHtml(
  text: string,
  unit: Unit,
  extraClass: string,
  block: { px: number; offsetOf: (thread: ExportThread) => number },
  options: HtmlExportOptions,
): string {
  // The PDF lays its pages out itself, and continues long notes in endnotes.
  const plan = options.forPdf
    ? new Map<string, MarginPlace>()
    : planMargin(unit.threads, block.px, block.offsetOf);
  const notes = unit.threads
    .map((thread) => {
      const place = plan.get(thread.id);
      const html = noteHtml(thread, { where: "margin", split: place?.split });
      return place?.offsetPx ? html.replace("<aside ", `<aside style="--offset:${place.offsetPx}px" `) : html;
    })
    .join("");
  const more = unit.threads
    .filter((thread) => plan.get(thread.id)?.split !== undefined)
    .map((thread) => noteContinuationHtml(thread, plan.get(thread.id)?.split as number))
    .join("");
  const cls = `passage${extraClass ? ` ${extraClass}` : ""}${notes ? " has-notes" : ""}`;
  return (
    `<div class="${cls}"><div class="passage-text">${text}</div>` +
    (notes ? `<div class="passage-notes">${notes}</div>` : "") +
    (more ? `<div class="passage-more">${more}</div>` : "") +
    `</div>`
  );
}

/** The block's estimated height, and how far down it a thread's passage starts, for {@link planMargin}. */
function blockEstimate(doc: PMNode, node: PMNode, pos: number, metrics = TEXT_METRICS) {
  return {
    px: linesOf(node.textContent, metrics.charsPerLine) * metrics.linePx,
    offsetOf: (thread: ExportThread) => {
      const from = thread.range?.from ?? pos;
      const before = from > pos ? doc.textBetween(pos, Math.min(from, pos + node.nodeSize), "\n") : "";
      return Math.floor(before.length / metrics.charsPerLine) * metrics.linePx;
    },
  };
}

function footnoteHtml(
  doc: PMNode,
  node: PMNode,
  pos: number,
  context: TextContext,
  unit: Unit,
  options: HtmlExportOptions,
): string {
  const n = Number(node.attrs.number) || 0;
  let inner = "";
  node.forEach((child, offset) => {
    const childPos = pos + 1 + offset;
    inner += child.isTextblock ? inlineHtml(child, childPos + 1, context) : escapeHtml(child.textContent);
  });
  const back = node.attrs.hasReference
    ? ` <a class="footnote-back" href="#ref-${n}" role="doc-backlink" aria-label="Back to reference ${n} in the text">back to text</a>`
    : "";
  return passageHtml(
    `<p class="footnote" id="note-${n}"><span class="fn-num">${n}.</span> ${inner}${back}</p>`,
    unit,
    "fn-item",
    blockEstimate(doc, node, pos, FOOTNOTE_METRICS),
    options,
  );
}

/** The text: every top-level block (and each footnote) a passage with its notes beside it. */
function textHtml(data: ExportData, options: HtmlExportOptions): string {
  const doc = data.document.doc;
  const spans: Span[] = data.threads
    .filter((thread) => thread.range && thread.range.to > thread.range.from)
    .map((thread) => ({ thread, from: thread.range!.from, to: thread.range!.to }));
  const events = spans
    .flatMap((span) => [
      { pos: span.from, isEnd: false, thread: span.thread },
      { pos: span.to, isEnd: true, thread: span.thread },
    ])
    .sort((a, b) => a.pos - b.pos || Number(b.isEnd) - Number(a.isEnd) || a.thread.number - b.thread.number);
  const context: TextContext = {
    spans,
    cuts: [...new Set(spans.flatMap((span) => [span.from, span.to]))].sort((a, b) => a - b),
    events,
    next: 0,
  };

  // The units notes attach to, in document order.
  const units: Unit[] = [];
  doc.forEach((node, pos) => {
    if (node.type.name === "footnotes") {
      node.forEach((footnote, offset) => {
        const from = pos + 1 + offset;
        units.push({ from, to: from + footnote.nodeSize, threads: [] });
      });
    } else {
      units.push({ from: pos, to: pos + node.nodeSize, threads: [] });
    }
  });
  for (const span of spans) {
    const unit =
      units.find((candidate) => span.from >= candidate.from && span.from < candidate.to) ??
      [...units].reverse().find((candidate) => candidate.from <= span.from) ??
      units[0];
    unit?.threads.push(span.thread);
  }

  let html = "";
  let unitIndex = 0;
  doc.forEach((node, pos) => {
    if (node.type.name === "footnotes") {
      let items = "";
      node.forEach((footnote, offset) => {
        items += footnoteHtml(doc, footnote, pos + 1 + offset, context, units[unitIndex] as Unit, options);
        unitIndex += 1;
      });
      html +=
        `<section class="footnotes" role="doc-endnotes" aria-labelledby="notes-heading">` +
        `<h2 class="section-heading keep-with-next" id="notes-heading">Notes</h2>${items}</section>`;
      return;
    }
    const unit = units[unitIndex] as Unit;
    unitIndex += 1;
    const kind = node.type.name === "blockquote" ? "is-quote" : `is-${node.type.name}`;
    html += passageHtml(blockHtml(node, pos, context), unit, kind, blockEstimate(doc, node, pos), options);
  });
  return html;
}

function detachedHtml(data: ExportData): string {
  const detached = data.threads.filter((thread) => !thread.range);
  if (detached.length === 0) return "";
  return (
    `<section class="detached" aria-labelledby="detached-heading">` +
    `<h2 class="section-heading keep-with-next" id="detached-heading">Detached threads</h2>` +
    `<p class="section-intro keep-with-next">The passages these threads were written on are no longer in the text. Each is shown with the words it was anchored to.</p>` +
    detached.map((thread) => noteHtml(thread, { where: "detached" })).join("") +
    `</section>`
  );
}

// ---------------------------------------------------------------------------
// The header
// ---------------------------------------------------------------------------

function legendHtml(data: ExportData): string {
  const used = new Map<string, { name: string; color: string | null }>();
  for (const thread of data.threads) {
    if (thread.category) {
      used.set(thread.category.id, { name: thread.category.name, color: safeColor(thread.category.color) });
    }
  }
  const items = [...used.values()].map(
    (category) =>
      `<li><span class="swatch"${swatchStyle(category.color)}></span>${escapeHtml(category.name)}</li>`,
  );
  const kinds = new Set(data.threads.filter((thread) => !thread.category).map((thread) => kindClass(thread)));
  if (kinds.has("hl-comment")) items.push(`<li><span class="swatch swatch-comment"></span>Comment</li>`);
  if (kinds.has("hl-question"))
    items.push(`<li><span class="swatch swatch-question"></span>Guiding question</li>`);
  if (kinds.has("hl-highlight")) items.push(`<li><span class="swatch swatch-comment"></span>Highlight</li>`);
  if (kinds.has("hl-note")) items.push(`<li><span class="swatch swatch-note"></span>Private note</li>`);
  return items.length > 0 ? `<ul class="legend" aria-label="Highlight colours">${items.join("")}</ul>` : "";
}

function headerHtml(data: ExportData, origin: string): string {
  const threads = data.threads.length;
  const comments = data.threads.reduce(
    (sum, thread) => sum + thread.comments.filter((comment) => !comment.isDeleted).length,
    0,
  );
  const detached = data.threads.filter((thread) => !thread.range).length;
  const counts = [
    `${threads} ${threads === 1 ? "thread" : "threads"}`,
    `${comments} ${comments === 1 ? "comment" : "comments"}`,
    ...(detached > 0 ? [`${detached} detached`] : []),
  ].join(" · ");

  const facts: [string, string][] = [
    ["Seminar", escapeHtml(data.seminar.title)],
    [
      "Exported",
      `${timeTag(data.generatedAt, formatLongDate(data.generatedAt))} by ${escapeHtml(data.exporter.name)}`,
    ],
  ];
  if (data.snapshot) {
    facts.push([
      "As of",
      `snapshot “${escapeHtml(data.snapshot.name)}”, ${timeTag(data.snapshot.createdAt, formatLongDate(data.snapshot.createdAt))}`,
    ]);
  }
  facts.push(["Layers", escapeHtml(describeLayers(data))]);
  const filters: string[] = [];
  if (!data.options.includeResolved) filters.push("resolved threads left out");
  if (data.options.participantId) {
    const name = participantName(data, data.options.participantId);
    filters.push(`only ${name ? escapeHtml(name) : "one participant"}’s threads and comments`);
  }
  if (filters.length > 0) facts.push(["Showing", filters.join("; ")]);
  facts.push(["Contents", escapeHtml(counts)]);
  if (data.reading.dueAt)
    facts.push(["Due", timeTag(data.reading.dueAt, formatLongDate(data.reading.dueAt))]);
  const url = readingUrl(data, origin);
  if (url) facts.push(["Online", `<a class="url" href="${escapeHtml(url)}">${escapeHtml(url)}</a>`]);

  const instruction = data.reading.instruction.trim()
    ? `<p class="instruction"><span class="label">Assignment</span> ${escapeHtml(data.reading.instruction.trim())}</p>`
    : "";
  return (
    `<header class="export-header">` +
    `<p class="eyebrow">Marginalia · annotated copy</p>` +
    `<dl class="facts">${facts.map(([term, value]) => `<div${term === "Online" ? ` class="wide"` : ""}><dt>${term}</dt><dd>${value}</dd></div>`).join("")}</dl>` +
    instruction +
    legendHtml(data) +
    `</header>`
  );
}

// ---------------------------------------------------------------------------
// The stylesheet
// ---------------------------------------------------------------------------

const BASE_CSS = String.raw`
:root {
  --paper: #fbf9f4;
  --ink: #1d1b18;
  --ink-soft: #4a453d;
  --ink-muted: #6f685d;
  --rule: #e4ded2;
  --rule-strong: #cfc6b6;
  --accent: #8a3b12;
  --accent-soft: #f3e6dc;
  --hl-default: #e8dcc6;
  --hl-question: #f2c9a8;
  --note-color: #3d6fb6;
  --serif: "Source Serif 4 Variable", "Source Serif Pro", Georgia, "Times New Roman", serif;
  --sans: "Inter Variable", Inter, system-ui, -apple-system, "Segoe UI", "Helvetica Neue", Arial, sans-serif;
  --text-width: 34rem;
  --margin-width: 17.5rem;
  --gutter: 3rem;
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  background: var(--paper);
  color: var(--ink);
  font-family: var(--serif);
  -webkit-font-smoothing: antialiased;
  text-rendering: optimizeLegibility;
}
a { color: inherit; }
.sheet {
  width: min(100%, calc(var(--text-width) + var(--gutter) + var(--margin-width) + 5rem));
  margin: 0 auto;
  padding: 3.5rem 2.5rem 6rem;
}

/* ---- Header: a colophon above the text ---- */
.export-header {
  max-width: calc(var(--text-width) + var(--gutter) + var(--margin-width));
  margin: 0 0 3.2rem;
  padding: 0 0 1.4rem;
  border-bottom: 1px solid var(--rule);
  font: 0.8rem/1.5 var(--sans);
  color: var(--ink-soft);
}
.eyebrow {
  margin: 0 0 0.9rem;
  font: 600 0.7rem/1.4 var(--sans);
  letter-spacing: 0.16em;
  text-transform: uppercase;
  color: var(--accent);
}
.facts {
  display: grid;
  grid-template-columns: repeat(2, minmax(0, 1fr));
  gap: 0.35rem 2.5rem;
  margin: 0;
}
.facts .wide { grid-column: 1 / -1; }
.facts .url { font-size: 0.92em; word-break: break-all; }
.facts div { display: flex; gap: 0.6rem; min-width: 0; }
.facts dt {
  flex: 0 0 4.6rem;
  font-weight: 600;
  font-size: 0.68rem;
  letter-spacing: 0.1em;
  text-transform: uppercase;
  color: var(--ink-muted);
  padding-top: 0.12rem;
}
.facts dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
.facts a { color: var(--ink-soft); text-decoration-color: var(--rule-strong); }
.instruction {
  margin: 0.9rem 0 0;
  font: italic 0.95rem/1.5 var(--serif);
  color: var(--ink-soft);
}
.instruction .label {
  margin-right: 0.5rem;
  font: normal 600 0.68rem var(--sans);
  letter-spacing: 0.1em;
  text-transform: uppercase;
  color: var(--ink-muted);
}
.legend {
  display: flex;
  flex-wrap: wrap;
  gap: 0.3rem 1.1rem;
  margin: 0.9rem 0 0;
  padding: 0;
  list-style: none;
  font-size: 0.74rem;
  color: var(--ink-muted);
}
.legend li { display: inline-flex; align-items: center; gap: 0.4rem; }
.swatch {
  display: inline-block;
  width: 0.7rem;
  height: 0.7rem;
  border-radius: 2px;
  background: color-mix(in srgb, var(--swatch, var(--hl-default)) 70%, white);
  box-shadow: inset 0 0 0 1px color-mix(in srgb, var(--swatch, var(--hl-default)) 80%, black 12%);
  vertical-align: -0.05rem;
  margin-right: 0.3rem;
}
.legend .swatch { margin-right: 0; }
.swatch-question { --swatch: var(--hl-question); }
.swatch-note { background: transparent; box-shadow: none; border-bottom: 2px dashed var(--note-color); border-radius: 0; }

/* ---- The text ---- */
.text {
  font-size: 1.125rem;
  line-height: 1.62;
  font-variant-numeric: oldstyle-nums proportional-nums;
  font-kerning: normal;
  font-feature-settings: "kern", "liga", "onum";
  overflow-wrap: break-word;
  hanging-punctuation: first;
}
.passage {
  display: grid;
  grid-template-columns: minmax(0, var(--text-width)) var(--margin-width);
  column-gap: var(--gutter);
  align-items: start;
}
.passage-text { grid-column: 1; min-width: 0; }
.passage-notes { grid-column: 2; grid-row: 1 / span 2; min-width: 0; padding-bottom: 0.6rem; }
/* Each note starts near its passage's line (estimated on the server: no script). */
.passage-notes > .note { margin-top: var(--offset, 0px); }
.passage-more { grid-column: 1; grid-row: 2; min-width: 0; margin: 0.7rem 0 1.1rem; }
.note.note-continued {
  columns: 2;
  column-gap: 1.6rem;
  column-rule: 1px solid var(--rule);
  padding: 0.6rem 0.9rem 0.7rem;
  border: 1px solid var(--rule);
  border-radius: 3px;
  background: color-mix(in srgb, var(--paper) 60%, white);
}
.note-continued > .note-head, .note-continued > .note-resolved { column-span: all; }
.note-continued .comment { break-inside: avoid; }
.note-continued .comments > .comment:first-child { margin-top: 0; }
.note-more { margin: 0.45em 0 0; font-size: 0.92em; }
.note-more a { color: var(--accent); text-decoration: none; }
/* Ragged right: without hyphenation (Chromium on a server has no dictionaries) justified lines gape. */
.passage-text > p { margin: 0; text-indent: 1.4em; }
.passage.is-source + .passage > .passage-text > p,
.passage-text > p.no-indent { text-indent: 0; }
.doc-title {
  margin: 0 0 0.9rem;
  font-size: 2.6rem;
  font-weight: 600;
  line-height: 1.08;
  letter-spacing: -0.018em;
  font-variant-numeric: lining-nums;
  text-wrap: balance;
}
.passage-text > p.doc-byline {
  margin: 0;
  text-indent: 0;
  font: 600 0.78rem/1.5 var(--sans);
  letter-spacing: 0.16em;
  text-transform: uppercase;
  color: var(--accent);
}
.passage-text > p.doc-source {
  margin: 0.25rem 0 2.4rem;
  text-indent: 0;
  font-size: 1rem;
  font-style: italic;
  line-height: 1.5;
  color: var(--ink-muted);
}
/* The opening line in small capitals, as the reading page sets it. */
.passage.is-source + .passage > .passage-text > p::first-line {
  font-variant-caps: all-small-caps;
  letter-spacing: 0.04em;
}
.passage-text > blockquote {
  margin: 0.9em 0 1em;
  padding: 0 0 0 1.3em;
  border-left: 1px solid var(--rule-strong);
  font-size: 0.94em;
  line-height: 1.58;
  color: var(--ink-soft);
}
.passage-text > blockquote p { margin: 0; }
.passage-text > blockquote p + p { text-indent: 1.4em; }

sup.fn-ref {
  font-size: 0.62em;
  line-height: 0;
  vertical-align: 0.6em;
  margin-left: 0.05em;
  font-variant-numeric: lining-nums;
}
sup.fn-ref a { color: var(--ink-muted); text-decoration: none; }

/* Annotated passages: the newest annotation's colour fills, a hairline beneath. */
mark.hl {
  color: inherit;
  background-color: color-mix(in srgb, var(--hl, var(--hl-default)) 52%, transparent);
  box-shadow: inset 0 -1px 0 color-mix(in srgb, var(--hl, var(--hl-default)) 85%, black 18%);
  -webkit-box-decoration-break: clone;
  box-decoration-break: clone;
}
mark.hl-question { --hl: var(--hl-question); }
mark.hl-multi {
  background-color: color-mix(in srgb, var(--hl, var(--hl-default)) 78%, transparent);
  box-shadow: inset 0 -2px 0 color-mix(in srgb, var(--hl, var(--hl-default)) 90%, black 25%);
}
mark.hl-resolved { background-color: color-mix(in srgb, var(--hl, var(--hl-default)) 28%, transparent); }
mark.hl-note {
  background: transparent;
  box-shadow: none;
  border-bottom: 1.5px dashed var(--note-color);
}
.pa { display: inline; }
sup.mk {
  font: 650 0.6em/0 var(--sans);
  vertical-align: 0.62em;
  margin: 0 0.08em 0 0.1em;
  color: var(--accent);
  font-variant-numeric: lining-nums tabular-nums;
  letter-spacing: 0;
}
sup.mk a { text-decoration: none; color: inherit; }
.mk-sep { padding: 0 0.05em; color: var(--ink-muted); }

/* ---- Notes in the margin ---- */
.note {
  font: 0.76rem/1.45 var(--sans);
  color: var(--ink-soft);
  padding: 0.55rem 0 0.7rem;
  border-top: 1px solid var(--rule);
  break-inside: avoid;
  font-variant-numeric: lining-nums;
  hyphens: manual;
  overflow-wrap: anywhere;
}
.passage-notes > .note:first-child { border-top-color: var(--rule-strong); padding-top: 0.4rem; }
.note-head {
  display: flex;
  flex-wrap: wrap;
  align-items: baseline;
  gap: 0.15em 0.6em;
  margin-bottom: 0.35em;
  font-size: 0.88em;
  letter-spacing: 0.06em;
  text-transform: uppercase;
  color: var(--ink-muted);
}
.note-num {
  font-size: 1.3em;
  font-weight: 700;
  letter-spacing: 0;
  color: var(--accent);
  text-decoration: none;
  min-width: 1.1em;
}
.note-kind { font-weight: 600; }
.note-cat { display: inline-flex; align-items: baseline; text-transform: none; letter-spacing: 0.01em; font-size: 1.08em; }
.note-cat .swatch { width: 0.8em; height: 0.8em; margin-right: 0.35em; }
.flag {
  padding: 0 0.35em;
  border: 1px solid var(--rule-strong);
  border-radius: 2px;
  font-size: 0.86em;
  font-weight: 600;
  letter-spacing: 0.08em;
  line-height: 1.5;
}
.flag-private { color: var(--note-color); border-color: color-mix(in srgb, var(--note-color) 45%, white); }
.flag-resolved { color: #3f6b45; border-color: #b9d2bc; }
.flag-pinned { color: var(--accent); border-color: color-mix(in srgb, var(--accent) 35%, white); }
.note.is-private { border-top-style: dashed; border-top-color: color-mix(in srgb, var(--note-color) 50%, white); }
.note-quote {
  margin: 0.2em 0 0.6em;
  padding: 0 0 0 0.8em;
  border-left: 2px solid var(--rule-strong);
  font: italic 1.2em/1.45 var(--serif);
  color: var(--ink-muted);
}
.note-quote mark { background: var(--accent-soft); color: var(--ink); font-style: normal; }
.note-byline, .note-resolved { margin: 0.1em 0 0; color: var(--ink-muted); }
.note-resolved { margin-top: 0.45em; font-style: italic; }
.comments, .replies { list-style: none; margin: 0; padding: 0; }
.replies { margin: 0.45em 0 0 0.3em; padding-left: 0.9em; border-left: 1px solid var(--rule); }
.comment + .comment { margin-top: 0.6em; }
.comment-meta { margin: 0; color: var(--ink-muted); font-size: 0.92em; }
.author { font-weight: 600; color: var(--ink); }
.badge {
  display: inline-block;
  padding: 0 0.4em;
  border-radius: 2px;
  background: var(--accent-soft);
  color: var(--accent);
  font-size: 0.8em;
  font-weight: 650;
  letter-spacing: 0.08em;
  text-transform: uppercase;
  line-height: 1.55;
  vertical-align: 0.05rem;
}
.sep { color: var(--rule-strong); }
.edited { font-style: italic; }
.comment-body { color: var(--ink); margin-top: 0.1em; }
.comment-body p { margin: 0 0 0.4em; }
.comment-body p:last-child { margin-bottom: 0; }
.comment-body ul, .comment-body ol { margin: 0.2em 0 0.4em; padding-left: 1.4em; }
.comment-body blockquote {
  margin: 0.25em 0 0.4em;
  padding-left: 0.7em;
  border-left: 2px solid var(--rule-strong);
  color: var(--ink-soft);
  font-style: italic;
}
.comment-body a { color: var(--accent); text-decoration-thickness: 1px; text-underline-offset: 0.15em; overflow-wrap: anywhere; }
.gone { font-style: italic; color: var(--ink-muted); }

/* ---- The essay's own notes, detached threads ---- */
.footnotes, .detached { margin-top: 3rem; }
.section-heading {
  max-width: var(--text-width);
  margin: 0 0 1rem;
  padding-top: 1.2rem;
  border-top: 1px solid var(--rule);
  font: 600 0.72rem/1.4 var(--sans);
  letter-spacing: 0.16em;
  text-transform: uppercase;
  color: var(--ink-muted);
}
.passage-text > p.footnote {
  position: relative;
  margin: 0 0 0.55rem;
  padding-left: 1.9em;
  text-indent: 0;
  font-size: 0.86rem;
  line-height: 1.5;
  color: var(--ink-soft);
}
.fn-num { position: absolute; left: 0; top: 0.12em; font: 600 0.78rem/1.5 var(--sans); color: var(--ink-muted); }
.footnote-back {
  margin-left: 0.35em;
  font: 500 0.7rem var(--sans);
  color: var(--accent);
  text-decoration: none;
  white-space: nowrap;
}
.footnote-back::before { content: "↩ "; }
.section-intro { max-width: var(--text-width); margin: 0 0 1rem; font-style: italic; color: var(--ink-muted); }
.detached > .note { max-width: var(--text-width); font-size: 0.82rem; }

/* ---- Narrow screens: notes below their paragraph ---- */
@media screen and (max-width: 60rem) {
  .sheet { padding: 2rem 1.25rem 4rem; }
  .facts { grid-template-columns: minmax(0, 1fr); }
  .passage { display: block; }
  .passage-notes {
    margin: 0.6rem 0 1.2rem 0.4rem;
    padding: 0 0 0 0.9rem;
    border-left: 2px solid var(--rule-strong);
  }
  .passage-notes > .note:first-child { border-top: 0; padding-top: 0.1rem; }
  .passage-notes > .note { margin-top: 0; }
  .passage-more { margin: 0 0 1.2rem 0.4rem; }
  .note-continued { columns: 1; }
  .doc-title { font-size: 2rem; }
  .text { font-size: 1.0625rem; }
}

`;

/** Printing the HTML file from a browser: A4, notes in a narrower margin, page numbers in the margin boxes. */
const BROWSER_PRINT_CSS = String.raw`
/* ---- Print (from a browser): A4, notes in a narrower margin ---- */
@page {
  size: A4;
  margin: 18mm 14mm 20mm 18mm;
  @bottom-center {
    content: "Page " counter(page) " of " counter(pages);
    font: 7.5pt/1 var(--sans);
    color: #6f685d;
  }
}
@media print {
  :root { --text-width: 1fr; --margin-width: 54mm; --gutter: 7mm; }
  html, body { background: #fff; }
  body { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .sheet { width: auto; padding: 0; }
  .export-header { margin-bottom: 8mm; font-size: 7.5pt; }
  .passage { grid-template-columns: minmax(0, 1fr) 54mm; }
  .text { font-size: 10.5pt; line-height: 1.5; orphans: 2; widows: 2; }
  .doc-title { font-size: 24pt; }
  .note { font-size: 7.2pt; }
  /* Lines are about 0.72 times as tall in print as on the screen the offsets were estimated for. */
  .passage-notes > .note { margin-top: calc(var(--offset, 0px) * 0.72); }
  .note, .note-head, .comment-meta, blockquote { break-inside: avoid; }
  .keep-with-next { break-after: avoid; }
  a { text-decoration: none; }
  mark.hl { background-color: color-mix(in srgb, var(--hl, var(--hl-default)) 45%, white); }
  mark.hl-multi { background-color: color-mix(in srgb, var(--hl, var(--hl-default)) 70%, white); }
}
`;

/**
 * The PDF variant's page layout. The layout script (pdf.ts) moves every flow
 * block into fixed-size `.page` boxes and places each note absolutely in its
 * page's margin column beside its passage; these rules set the geometry.
 * Sizes are in mm so that layout in the screen pass and in print agree.
 */
const PDF_CSS = String.raw`
html, body { background: #fff; }
body.pdf .passage { display: block; }
body.pdf { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body.pdf .sheet { width: auto; padding: 0; margin: 0; }
body.pdf .text { font-size: 10.2pt; line-height: 1.5; }
body.pdf .doc-title { font-size: 23pt; margin-bottom: 3mm; }
body.pdf .passage-text > p.doc-source { margin-bottom: 8mm; font-size: 9.5pt; }
body.pdf .passage-text > p.doc-byline { font-size: 7.2pt; }
body.pdf .export-header {
  width: calc(var(--text-col, 112mm) + var(--gutter-col, 8mm) + var(--margin-col, 56mm));
  max-width: none;
  margin: 0 0 10mm;
  padding-bottom: 4mm;
  font-size: 7.2pt;
}
body.pdf .facts { grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 0.8mm 6mm; }
body.pdf .facts dt { flex-basis: 15mm; font-size: 6.2pt; }
body.pdf .instruction { font-size: 8.6pt; margin-top: 3mm; }
body.pdf .legend { font-size: 6.8pt; margin-top: 3mm; }
body.pdf .note { font-size: 6.9pt; line-height: 1.42; padding: 1.6mm 0 0; border-top-color: var(--rule-strong); }
body.pdf .passage-text > p.footnote { font-size: 8.4pt; margin-bottom: 1.6mm; }
body.pdf .fn-num { font-size: 6.8pt; top: 0.2em; }
body.pdf .footnote-back { font-size: 6.4pt; color: var(--ink-muted); }
body.pdf .footnotes, body.pdf .detached { margin-top: 0; }
body.pdf .section-heading { max-width: none; margin: 7mm 0 3mm; padding-top: 3mm; font-size: 6.8pt; }
body.pdf .section-intro { max-width: none; font-size: 8.6pt; }
body.pdf mark.hl { background-color: color-mix(in srgb, var(--hl, var(--hl-default)) 48%, white); }
body.pdf mark.hl-multi { background-color: color-mix(in srgb, var(--hl, var(--hl-default)) 74%, white); }
body.pdf mark.hl-resolved { background-color: color-mix(in srgb, var(--hl, var(--hl-default)) 26%, white); }
body.pdf mark.hl-note { background: transparent; }

/* The pages the layout script builds. */
.page {
  position: relative;
  width: 210mm;
  height: var(--page-height, 262mm);
  padding: 0 var(--page-right, 14mm) 0 var(--page-left, 20mm);
  break-after: page;
  overflow: visible;
}
.page:last-child { break-after: auto; }
.page-text { display: flow-root; width: var(--text-col, 112mm); }
.page-text > :first-child, .page-text > :first-child > :first-child { margin-top: 0 !important; }
.page-text > .flow-note > .note { border-top-color: var(--rule-strong); }
.page-margin {
  position: absolute;
  top: 0;
  left: calc(var(--page-left, 20mm) + var(--text-col, 112mm) + var(--gutter-col, 8mm));
  width: var(--margin-col, 56mm);
  height: 100%;
}
.page-margin > .note, .page-margin > .note-stub { position: absolute; left: 0; right: 0; }
.page-margin > .note { padding-top: 1.2mm; }
.flow-note { max-width: 104mm; }
.flow-note > .note { font-size: 7.8pt; padding: 2mm 0 3mm; }
.flow-note.endnote { margin-top: 1.5mm; border-top: 1px solid var(--rule-strong); padding-top: 1.6mm; }
.flow-note.endnote > .note { border-top: 0; padding-top: 0.6mm; }
.flow-note.endnote[data-continued] { border-top: 0; padding-top: 0; margin-top: 0; }
.passage-text > p[data-continued], .passage-text > blockquote > p[data-continued] { text-indent: 0; }
blockquote[data-broken] { margin-bottom: 0; }
blockquote[data-continued] { margin-top: 0; }
.note-stub {
  padding: 1.2mm 0 0;
  border-top: 1px solid var(--rule-strong);
  font: 6.7pt/1.4 var(--sans);
  color: var(--ink-muted);
}
.note-stub .note-num { font-size: 7.8pt; font-weight: 700; color: var(--accent); text-decoration: none; margin-right: 1.2mm; }
.note-stub a.to-endnote { color: var(--accent); text-decoration: none; }
.endnote-origin {
  margin: 0;
  font: 600 5.8pt/1.4 var(--sans);
  letter-spacing: 0.1em;
  text-transform: uppercase;
  color: var(--ink-muted);
}
.endnote-origin a { color: inherit; text-decoration: none; }
`;

// ---------------------------------------------------------------------------
// The document
// ---------------------------------------------------------------------------

/**
 * The annotated copy as one HTML file: no script, no external request, every
 * character of user content escaped. `origin` is the app's address, for the
 * link back to the live reading.
 */
export function renderHtmlExport(data: ExportData, origin: string, options: HtmlExportOptions = {}): string {
  const title = `${data.document.title} — annotated copy — ${data.seminar.title}`;
  const csp =
    "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:; base-uri 'none'; form-action 'none'";
  const css = `${embeddedFontCss()}\n${BASE_CSS}${options.forPdf ? PDF_CSS : BROWSER_PRINT_CSS}`;
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${csp}">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="referrer" content="no-referrer">` +
    `<meta name="generator" content="Marginalia">` +
    `<title>${escapeHtml(title)}</title>` +
    `<style>${css}</style></head>` +
    `<body${options.forPdf ? ` class="pdf"` : ""}><div class="sheet">` +
    headerHtml(data, origin) +
    `<main class="text" id="text">${textHtml(data, options)}${detachedHtml(data)}</main>` +
    `</div></body></html>\n`
  );
}
