/**
 * Threads as the annotated copy's notes: a numbered head with the kind,
 * category and flags, the comments with their replies nested (a long
 * exchange lines up at {@link MAX_REPLY_INDENT}), and the resolution. A note
 * stands in the margin beside its passage, or in the detached list with its
 * quote; one too long for the margin continues below its paragraph.
 */
import { KIND_LABELS } from "../thread-presentation";
import type { ExportComment, ExportThread } from "../load-export-data";
import { renderCommentBodyHtml } from "./comment-body-html";
import { HIDDEN_FROM_STUDENTS, isShownHidden, reactionSummary } from "../thread-presentation";
import { escapeHtml, safeColor, swatchStyle, timeTag } from "./markup";

function authorHtml(author: { name: string; role: string | null }): string {
  const badge = author.role === "INSTRUCTOR" ? ` <span class="badge">Instructor</span>` : "";
  return `<span class="author">${escapeHtml(author.name)}</span>${badge}`;
}

function commentHtml(comment: ExportComment, children: string): string {
  let body: string;
  if (comment.isDeleted) body = `<p class="gone">This comment was deleted.</p>`;
  else if (isShownHidden(comment) && comment.body)
    // An instructor's copy: the words students no longer see, marked as such.
    body =
      `<p class="hidden-mark">${escapeHtml(HIDDEN_FROM_STUDENTS)}</p>` +
      `<div class="hidden-words">${renderCommentBodyHtml(comment.body)}</div>`;
  else if (comment.isHidden) body = `<p class="gone">Hidden by an instructor.</p>`;
  else body = comment.body ? renderCommentBodyHtml(comment.body) : "";
  const edited = comment.editedAt ? ` <span class="edited">(edited)</span>` : "";
  const summary = reactionSummary(comment);
  const reactions = summary
    ? ` <span class="sep">·</span> <span class="reactions">${escapeHtml(summary)}</span>`
    : "";
  return (
    `<li class="comment"><p class="comment-meta">${authorHtml(comment.author)}` +
    ` <span class="sep">·</span> ${timeTag(comment.createdAt)}${edited}${reactions}</p>` +
    `<div class="comment-body">${body}</div>${children}</li>`
  );
}

// Replies nest visibly down to this depth; deeper ones line up at it, so a
// long exchange stays readable in a narrow margin.
export const MAX_REPLY_INDENT = 2;

/** A top-level comment with every reply under it: the unit a long thread is divided by. */
export type CommentUnit = { comment: ExportComment; replies: ExportComment[] };

/**
 * The thread's comments as units, in order. Replies nest visibly down to
 * {@link MAX_REPLY_INDENT}; deeper ones line up at that depth, so a long
 * exchange stays readable in a narrow margin.
 */
export function commentUnits(comments: ExportComment[]): {
  units: CommentUnit[];
  render: (unit: CommentUnit) => string;
} {
  const children = repliesByParent(comments);
  const units = (children.get(null) ?? []).map((comment) => ({
    comment,
    replies: descendants(children, comment.id),
  }));
  return { units, render: (unit) => commentHtml(unit.comment, renderReplies(children, unit.comment.id, 1)) };
}

/**
 * A thread's comments by the comment they reply to (null: top level). A reply whose parent is
 * not in the export (filtered out) stands at the top. Module functions, not closures made per
 * thread: an export of 10,000 threads asks for this ~30,000 times.
 */
function repliesByParent(comments: ExportComment[]): Map<string | null, ExportComment[]> {
  // Most threads are a comment or two with no replies among them.
  if (comments.every((comment) => !comment.parentId)) return new Map([[null, comments]]);
  const ids = new Set(comments.map((comment) => comment.id));
  const children = new Map<string | null, ExportComment[]>();
  for (const comment of comments) {
    const parent = comment.parentId && ids.has(comment.parentId) ? comment.parentId : null;
    const list = children.get(parent);
    if (list) list.push(comment);
    else children.set(parent, [comment]);
  }
  return children;
}

function descendants(children: Map<string | null, ExportComment[]>, id: string): ExportComment[] {
  const replies = children.get(id);
  if (!replies) return [];
  return replies.flatMap((reply) => [reply, ...descendants(children, reply.id)]);
}

function renderReplies(children: Map<string | null, ExportComment[]>, id: string, depth: number): string {
  const replies = children.get(id);
  if (!replies) return "";
  const items =
    depth < MAX_REPLY_INDENT
      ? replies.map((reply) => commentHtml(reply, renderReplies(children, reply.id, depth + 1)))
      : descendants(children, id).map((reply) => commentHtml(reply, ""));
  return `<ol class="replies">${items.join("")}</ol>`;
}

function quoteHtml(quote: ExportThread["quote"]): string {
  const prefix = quote.prefix ? `…${escapeHtml(quote.prefix.trimStart())}` : "";
  const suffix = quote.suffix ? `${escapeHtml(quote.suffix.trimEnd())}…` : "";
  return `<blockquote class="note-quote">${prefix}<mark>${escapeHtml(quote.exact)}</mark>${suffix}</blockquote>`;
}

/** Where a note goes and how much of it. */
export type NoteOptions = {
  /** In the margin (numbered link back to the passage), or in the detached list (with its quote). */
  where: "margin" | "detached";
  /** Render only the first `split` comment units, ending with a pointer to the continuation. */
  split?: number;
  /** How far below its passage's top the margin plan places it, in px (none: where it falls). */
  offsetPx?: number;
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
export function noteHtml(thread: ExportThread, options: NoteOptions): string {
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
    `<aside ${options.offsetPx ? `style="--offset:${options.offsetPx}px" ` : ""}class="${noteClasses(thread)}" id="thread-${n}" data-note="${n}" aria-label="${escapeHtml(label)}">` +
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
export function noteContinuationHtml(thread: ExportThread, from: number): string {
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
