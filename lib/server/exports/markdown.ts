/**
 * The annotated copy as Markdown (CommonMark with GitHub's footnotes): the
 * text (title, byline, source, paragraphs, block quotes) with each annotated
 * passage highlighted (`<mark>`) and followed by its thread's footnote
 * reference, `[^a3]`, and each thread as a footnote: the passage's words, who,
 * what, when, then the replies as an indented list. The text's own notes are
 * footnotes too, under their own numbers (`[^1]`, each opening with
 * "*Note 1.*"), so the two never share a label; a note nothing in the text
 * refers to stays a paragraph of its own. Threads whose passage is gone from
 * the text follow in their own section, with the quote they were made on.
 *
 * Renderers number footnotes in the order they are first referred to, so the
 * labels (and the note's own number in its first words) are what tell a
 * thread from a note in the source; rendered, a thread's reference follows a
 * highlight and its footnote opens with the passage it is on.
 */
import type { Node as PMNode } from "@tiptap/pm/model";
import { formatLongDay } from "@/lib/shared/dates";
import { excerpt, passageWords } from "@/lib/shared/annotations/passage-words";
import { documentImageUrl } from "@/lib/shared/schema/reading-extensions";
import type { ExportComment, ExportData, ExportThread } from "./load-export-data";
import { commentBodyBlocks } from "./markdown-comment-body";
import { escapeInline, escapeLine, escapeLineStart, linkDestination } from "./markdown-syntax";
import { joinChunks } from "./stream-chunks";
import {
  KIND_LABELS,
  participantName,
  readingUrl,
  reactionSummary,
  removedCommentLabel,
  HIDDEN_FROM_STUDENTS,
  hiddenWordsNotice,
  isShownHidden,
  roleLabel,
  splitThread,
  threadPassage,
} from "./thread-presentation";

/** The Markdown export as chunks (one block or footnote each), for streaming. */
export function* markdownChunks(data: ExportData, origin: string): Generator<string> {
  yield frontMatter(data, origin);
  const placed = new Set<string>();
  yield* documentChunks(
    data.document.doc,
    data.threads.filter((thread) => thread.position),
    placed,
    origin,
  );
  // Detached threads, and (defensively) any whose place the text did not reach.
  const detached = data.threads.filter((thread) => !placed.has(thread.id));
  if (detached.length > 0) {
    yield "## Passages no longer in the text\n\n";
    for (const thread of detached) {
      const lines = thread.quote.exact.split("\n").map((line) => `> ${escapeLine(line.trim())}`);
      yield `${lines.join("\n>\n")}${threadLabel(thread)}\n\n`;
    }
  }
  if (data.threads.length > 0) {
    yield "* * *\n\n";
    for (const thread of data.threads) yield threadFootnote(data, thread);
  }
}

/** The Markdown export as one string. */
export function renderMarkdown(data: ExportData, origin: string): string {
  return joinChunks(markdownChunks(data, origin));
}

/** A thread's footnote reference: `[^a3]` (a for annotation), never the same as a note's. */
export function threadLabel(thread: Pick<ExportThread, "number">): string {
  return `[^a${thread.number}]`;
}

/** A note of the text's footnote reference: `[^3]`, the note's own number. */
export function noteLabel(number: number): string {
  return `[^${number}]`;
}

// ---------- The text ----------

type Events = {
  /** Threads whose passage opens at an offset. */
  opens: Map<number, ExportThread[]>;
  /** Threads whose passage closes at an offset. */
  closes: Map<number, ExportThread[]>;
};

/** Between two footnote references side by side: a narrow no-break space. */
const REFERENCE_SEPARATOR = "\u202f";

/** How many passages cover the text being written; carried from block to block. */
type Coverage = { depth: number };

/** Textblocks in document order with their plain-text ranges (the rules of text-index.ts). */
function blockRanges(doc: PMNode): { start: number; end: number }[] {
  const ranges: { start: number; end: number }[] = [];
  let offset = 0;
  doc.descendants((node) => {
    if (!node.isTextblock) return true;
    if (ranges.length > 0) offset += 1;
    const start = offset;
    node.forEach((child) => {
      if (child.isText) offset += child.text?.length ?? 0;
    });
    ranges.push({ start, end: offset });
    return false;
  });
  return ranges;
}

/**
 * Where each passage opens and closes. A passage that starts at the very end
 * of a block opens at the start of the next one, and one that ends at the
 * very start of a block closes at the end of the one before, so no highlight
 * or reference dangles on an otherwise empty edge of a paragraph.
 */
function placeEvents(doc: PMNode, threads: ExportThread[]): Events {
  const ranges = blockRanges(doc);
  const starts = new Set(ranges.map((range) => range.start));
  const ends = new Set(ranges.map((range) => range.end));
  const opens = new Map<number, ExportThread[]>();
  const closes = new Map<number, ExportThread[]>();
  const add = (map: Map<number, ExportThread[]>, offset: number, thread: ExportThread) => {
    const list = map.get(offset);
    if (list) list.push(thread);
    else map.set(offset, [thread]);
  };
  for (const thread of threads) {
    if (!thread.position) continue;
    let { start, end } = thread.position;
    if (start < end && ends.has(start) && starts.has(start + 1)) start += 1;
    if (start < end && starts.has(end) && ends.has(end - 1)) end -= 1;
    if (end < start) end = start;
    add(opens, start, thread);
    add(closes, end, thread);
  }
  // References that share an offset: the shorter passage's first (it closes inside the longer), then by number.
  for (const list of closes.values()) list.sort((a, b) => length(a) - length(b) || a.number - b.number);
  return { opens, closes };
}

function length(thread: ExportThread): number {
  return thread.position ? thread.position.end - thread.position.start : 0;
}

/**
 * Renders one textblock's inline content with the highlights and thread
 * references that fall in it. Text is written in segments between passage
 * edges; a segment inside any passage is wrapped in `<mark>` on its own, with
 * its emphasis delimiters inside the tag, so tags and emphasis always nest
 * (an edge inside an italic run closes and reopens the emphasis around the
 * tags) and passages that overlap, or run across paragraphs, stay valid HTML.
 * Every edge inside a run is thus a tag or a reference, punctuation on both
 * sides, which keeps the delimiters able to open and close (CommonMark's
 * flanking rules).
 */
class InlineWriter {
  private out = "";
  private closedAt = -1;
  private openedAt = -1;
  private isAfterReference = false;

  constructor(
    private readonly events: Events,
    /** Threads whose reference made it into the text. */
    private readonly placed: Set<string>,
    private readonly coverage: Coverage,
  ) {}

  /** References of the passages closing at `offset` (once), before anything else there. */
  close(offset: number) {
    if (this.closedAt === offset) return;
    this.closedAt = offset;
    for (const thread of this.events.closes.get(offset) ?? []) {
      this.reference(threadLabel(thread));
      this.placed.add(thread.id);
      this.coverage.depth = Math.max(0, this.coverage.depth - 1);
    }
  }

  /** Closing, then opening passages at `offset` (once each), just before the text there. */
  edge(offset: number) {
    this.close(offset);
    if (this.openedAt === offset) return;
    this.openedAt = offset;
    this.coverage.depth += this.events.opens.get(offset)?.length ?? 0;
  }

  /**
   * A footnote reference (a thread's or a note's). References side by side are
   * kept apart by a narrow no-break space: rendered as superscript numbers,
   * 4 and 5 would otherwise read as 45.
   */
  reference(label: string) {
    this.out += `${this.isAfterReference ? REFERENCE_SEPARATOR : ""}${label}`;
    this.isAfterReference = true;
  }

  /** Literal Markdown. */
  raw(text: string) {
    if (!text) return;
    // `[^3](…` would read as an inline link in some renderers, and `[^3]:` at a line's start as a definition.
    this.out += this.isAfterReference && /^[(:]/.test(text) ? `\\${text}` : text;
    this.isAfterReference = false;
  }

  /**
   * A text node starting at `offset`, with its emphasis, cut at the passage
   * edges inside it. Edges at its very end are left to what follows.
   */
  text(text: string, offset: number, marks: readonly string[]) {
    const isBold = marks.includes("bold");
    const isItalic = marks.includes("italic");
    const delimiter = isBold && isItalic ? "***" : isBold ? "**" : isItalic ? "*" : "";
    let from = 0;
    this.edge(offset);
    for (let i = 1; i <= text.length; i++) {
      const isEdge = this.events.opens.has(offset + i) || this.events.closes.has(offset + i);
      if (i < text.length && !isEdge) continue;
      this.segment(text.slice(from, i), delimiter);
      from = i;
      if (i < text.length) this.edge(offset + i);
    }
  }

  /** A stretch of one text node between passage edges: highlighted when inside a passage. */
  private segment(text: string, delimiter: string) {
    if (!text) return;
    // Emphasis must not start or end on a space (CommonMark flanking rules): spaces stay outside it.
    const lead = /^\s*/.exec(text)?.[0] ?? "";
    const trail = lead.length < text.length ? (/\s*$/.exec(text)?.[0] ?? "") : "";
    const core = text.slice(lead.length, text.length - trail.length);
    const words = core ? `${delimiter}${escapeInline(core)}${delimiter}` : "";
    const markdown = `${lead}${words}${trail}`;
    this.raw(this.coverage.depth > 0 ? `<mark>${markdown}</mark>` : markdown);
  }

  /** The line so far, its first character made safe. */
  finish(): string {
    return escapeLineStart(this.out.trim());
  }
}

function inlineLine(
  block: PMNode,
  start: number,
  events: Events,
  placed: Set<string>,
  coverage: Coverage,
): string {
  const writer = new InlineWriter(events, placed, coverage);
  let offset = start;
  block.forEach((child) => {
    if (child.isText) {
      const text = child.text ?? "";
      writer.text(
        text.replace(/\n/g, " "),
        offset,
        child.marks.map((mark) => mark.type.name),
      );
      offset += text.length;
    } else if (child.type.name === "footnoteReference") {
      writer.close(offset);
      writer.reference(noteLabel(Number(child.attrs.number)));
    } else if (child.type.name === "pageMarker") {
      writer.close(offset);
      writer.raw(`[p. ${String(child.attrs.label).replace(/[[\]]/g, "")}] `);
    }
  });
  writer.edge(offset);
  return writer.finish();
}

/** The numbers of the notes something in the text refers to. */
function referencedNotes(doc: PMNode): Set<number> {
  const numbers = new Set<number>();
  doc.descendants((node) => {
    if (node.type.name === "footnoteReference") numbers.add(Number(node.attrs.number));
    return true;
  });
  return numbers;
}

/** The text's blocks, each a chunk; `placed` collects the threads whose reference is in them. */
function* documentChunks(
  doc: PMNode,
  threads: ExportThread[],
  placed: Set<string>,
  origin: string,
): Generator<string> {
  const events = placeEvents(doc, threads);
  const coverage: Coverage = { depth: 0 };
  const referenced = referencedNotes(doc);
  let offset = 0;
  let isFirst = true;
  const nextLine = (block: PMNode) => {
    if (!isFirst) offset += 1;
    isFirst = false;
    const line = inlineLine(block, offset, events, placed, coverage);
    block.forEach((child) => {
      if (child.isText) offset += child.text?.length ?? 0;
    });
    return line;
  };
  const textblocksOf = (node: PMNode) => {
    const lines: string[] = [];
    node.descendants((child) => {
      if (!child.isTextblock) return true;
      lines.push(nextLine(child));
      return false;
    });
    return lines;
  };
  // A list's items as "- " or "3. " lines; an item's later paragraphs and nested lists indented under it.
  const listLines = (list: PMNode): string[] => {
    const lines: string[] = [];
    const start = Number(list.attrs.start ?? 1) || 1;
    list.forEach((item, _offset, index) => {
      const marker = list.type.name === "orderedList" ? `${start + index}. ` : "- ";
      const pad = " ".repeat(marker.length);
      let isFirst = true;
      item.forEach((child) => {
        const isList = child.type.name === "bulletList" || child.type.name === "orderedList";
        const inner = isList ? listLines(child) : child.isTextblock ? [nextLine(child)] : textblocksOf(child);
        if (!isFirst && !isList) lines.push("");
        for (const line of inner) {
          lines.push(isFirst ? `${marker}${line}` : line ? `${pad}${line}` : "");
          isFirst = false;
        }
      });
    });
    return lines;
  };
  // A GFM table: the first row heads it (Markdown has no table without a head); cells on one line each.
  const tableLines = (table: PMNode): string[] => {
    const rows: string[][] = [];
    table.forEach((row) => {
      const cells: string[] = [];
      row.forEach((cell) => cells.push(textblocksOf(cell).join(" ")));
      rows.push(cells);
    });
    const width = Math.max(1, ...rows.map((row) => row.length));
    const line = (cells: string[]) =>
      `| ${Array.from({ length: width }, (_, i) => cells[i] || " ").join(" | ")} |`;
    const [head = [], ...body] = rows;
    return [line(head), `|${" --- |".repeat(width)}`, ...body.map(line)];
  };
  for (let i = 0; i < doc.childCount; i++) {
    const node = doc.child(i);
    if (node.type.name === "title") {
      yield `# ${nextLine(node)}\n\n`;
    } else if (node.type.name === "blockquote") {
      yield `${textblocksOf(node)
        .map((line) => `> ${line}`)
        .join("\n>\n")}\n\n`;
    } else if (node.type.name === "heading") {
      yield `${"#".repeat(Number(node.attrs.level) || 2)} ${nextLine(node)}\n\n`;
    } else if (node.type.name === "verse") {
      // Verse keeps its line breaks (a backslash at a line's end is a hard break).
      yield `${textblocksOf(node).join("\\\n")}\n\n`;
    } else if (node.type.name === "bulletList" || node.type.name === "orderedList") {
      yield `${listLines(node).join("\n")}\n\n`;
    } else if (node.type.name === "table") {
      yield `${tableLines(node).join("\n")}\n\n`;
    } else if (node.type.name === "figure") {
      // Figures add no characters to the text; the image is the app's, for readers of the text.
      const alt = escapeInline(String(node.attrs.alt ?? ""));
      const caption = String(node.attrs.caption ?? "").trim();
      yield (
        `![${alt}](${linkDestination(`${origin}${documentImageUrl(String(node.attrs.key))}`)})\n\n` +
        (caption ? `*${escapeInline(caption)}*\n\n` : "")
      );
    } else if (node.type.name === "footnotes") {
      // A definition nothing refers to is dropped by renderers, so such a note stays a paragraph.
      const notes: string[] = [];
      node.forEach((footnote) => {
        const number = Number(footnote.attrs.number);
        const words = `*Note ${number}.* ${textblocksOf(footnote).join(" ")}`;
        notes.push(referenced.has(number) ? `${noteLabel(number)}: ${words}` : words);
      });
      yield `${notes.join("\n\n")}\n\n`;
    } else {
      const lines = (node.isTextblock ? [nextLine(node)] : textblocksOf(node)).filter(Boolean);
      if (lines.length > 0) yield `${lines.join("\n\n")}\n\n`;
    }
  }
}

// ---------- What the copy is ----------

function frontMatter(data: ExportData, origin: string): string {
  const facts = [
    `Annotated copy from the seminar “${escapeInline(data.seminar.title)}”`,
    `exported by ${escapeInline(data.exporter.name)} on ${formatLongDay(data.generatedAt)}`,
  ];
  if (data.snapshot)
    facts.push(
      `the discussion as of the snapshot “${escapeInline(data.snapshot.name)}” (${formatLongDay(data.snapshot.createdAt)})`,
    );
  const { options } = data;
  const layers =
    options.layers === "seminar"
      ? "the seminar’s threads"
      : options.layers === "private"
        ? "my private notes"
        : "the seminar’s threads and my private notes";
  const scope = [`${data.threads.length} ${data.threads.length === 1 ? "thread" : "threads"}: ${layers}`];
  if (!options.includeResolved) scope.push("open threads only");
  if (options.participantId)
    scope.push(`only ${escapeInline(participantName(data, options.participantId) ?? "one participant")}’s`);
  const hidden = hiddenWordsNotice(data);
  if (hidden) scope.push(escapeInline(hidden));
  return [
    `*${facts.join(" · ")}.*\\`,
    `*${scope.join(", ")}.* <${readingUrl(data, origin)}>`,
    "",
    "* * *",
    "",
    "",
  ].join("\n");
}

// ---------- Threads as footnotes ----------

const FOOTNOTE_INDENT = "    ";

function byline(author: ExportComment["author"]): string {
  const role = roleLabel(author.role);
  return `**${escapeInline(author.name)}**${role ? ` (${role})` : ""}`;
}

function commentDate(comment: ExportComment): string {
  const reactions = reactionSummary(comment);
  return `${formatLongDay(comment.createdAt)}${comment.editedAt ? " (edited)" : ""}${reactions ? ` (${reactions})` : ""}`;
}

/** Longest passage a footnote quotes before shortening it with "…". */
const FOOTNOTE_QUOTE_LENGTH = 120;

/**
 * What the thread is on: the passage as the text reads now, and the words it
 * was made on when an instructor's edit changed them.
 */
function passageLead(data: ExportData, thread: ExportThread): string {
  const words = passageWords(thread.position ? threadPassage(data, thread).exact : null, thread.quote.exact);
  const quote = (text: string) => `“${escapeInline(excerpt(text, FOOTNOTE_QUOTE_LENGTH))}”`;
  return `On ${quote(words.current)}${words.original === null ? "" : ` (originally ${quote(words.original)})`}:`;
}

function threadFootnote(data: ExportData, thread: ExportThread): string {
  const { root, replies } = splitThread(thread);
  const head = [byline(thread.author), KIND_LABELS[thread.kind]];
  if (thread.pinned) head.push("pinned");
  if (thread.category) head.push(escapeInline(thread.category.name));
  head.push(root ? commentDate(root) : formatLongDay(thread.createdAt));
  if (thread.resolvedAt)
    head.push(
      `resolved${thread.resolvedByName ? ` by ${escapeInline(thread.resolvedByName)}` : ""} on ${formatLongDay(thread.resolvedAt)}`,
    );
  const lines = [`${threadLabel(thread)}: ${passageLead(data, thread)} ${head.join(" · ")}`];
  if (root) appendComment(lines, root);
  const tree = replyTree(root, replies);
  if (tree.length > 0) {
    lines.push("");
    appendReplies(lines, tree);
  }
  return `${lines.map((line, i) => (i === 0 || line === "" ? line : FOOTNOTE_INDENT + line)).join("\n")}\n\n`;
}

type ReplyNode = { comment: ExportComment; children: ReplyNode[] };

/** Replies nested under the reply they answer; replies to the first comment (or to one not exported) at the top. */
function replyTree(root: ExportComment | null, replies: ExportComment[]): ReplyNode[] {
  const nodes = new Map(replies.map((comment) => [comment.id, { comment, children: [] as ReplyNode[] }]));
  const top: ReplyNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.comment.parentId ? nodes.get(node.comment.parentId) : undefined;
    if (parent && node.comment.parentId !== root?.id) parent.children.push(node);
    else top.push(node);
  }
  return top;
}

/**
 * Replies as a list; each nested list sits under its parent item's text.
 * Their bullet is `*` while comment bodies use `-`, so a reply list never
 * merges with a list that ends the comment above it (CommonMark starts a new
 * list when the bullet changes).
 */
function appendReplies(lines: string[], nodes: ReplyNode[]) {
  for (const node of nodes) {
    const item = [`${byline(node.comment.author)} · ${commentDate(node.comment)}`];
    appendComment(item, node.comment);
    if (node.children.length > 0) {
      item.push("");
      appendReplies(item, node.children);
    }
    lines.push(...item.map((line, i) => (line === "" ? "" : `${i === 0 ? "* " : "  "}${line}`)));
  }
}

/** Appends a comment's words to `lines`: its first paragraph after " — " on the last line, the rest below. */
function appendComment(lines: string[], comment: ExportComment) {
  const removed = removedCommentLabel(comment);
  const blocks = removed ? [[`*${escapeInline(removed)}*`]] : markHidden(comment, commentBodyBlocks(comment));
  if (blocks.length === 0) return;
  const [first, ...rest] = blocks;
  const last = lines.length - 1;
  if (first && !/^(?:>|[-*+] |\d+[.)] )/.test(first[0] as string)) {
    // A paragraph continues the byline; its further lines follow directly.
    const [line, ...more] = first;
    lines[last] = `${lines[last]} — ${line}`;
    lines.push(...more);
  } else if (first) {
    rest.unshift(first);
  }
  for (const block of rest) {
    lines.push("");
    lines.push(...block);
  }
}

/**
 * An instructor's export marks the words students no longer see: "*[hidden from
 * students]*" starts the first paragraph, or stands before a first list or quote.
 */
function markHidden(comment: ExportComment, blocks: string[][]): string[][] {
  if (!isShownHidden(comment)) return blocks;
  const mark = `*${escapeInline(`[${HIDDEN_FROM_STUDENTS.toLowerCase()}]`)}*`;
  const [first, ...rest] = blocks;
  if (first && !/^(?:>|[-*+] |\d+[.)] )/.test(first[0] as string))
    return [[`${mark} ${first[0] as string}`, ...first.slice(1)], ...rest];
  return [[mark], ...blocks];
}
