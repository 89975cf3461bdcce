/**
 * The annotated copy's text: every top-level block (and each of the essay's
 * own notes) written as a passage with its notes beside it. The text is cut
 * at every thread's range edges; each piece under one or more threads is
 * highlighted in the newest one's colour, and each thread's end gets its
 * numbered marker (linking to its note) and its start an anchor (the note's
 * link back).
 */
import { SAFE_LINK, clampHeadingLevel } from "@/lib/shared/schema/reading-extensions";
import type { Node as PMNode } from "@tiptap/pm/model";
import type { ExportData, ExportThread } from "../load-export-data";
import type { ContentsEntry } from "@/lib/shared/documents/table-of-contents";
import { headingAnchors } from "./contents";
import type { HtmlExportOptions } from "./document";
import { escapeHtml, safeColor } from "./markup";
import { noteContinuationHtml, noteHtml } from "./notes";
import {
  blockEstimate,
  FOOTNOTE_METRICS,
  planMargin,
  type BlockEstimate,
  type MarginPlace,
} from "./plan-margin";

export type Span = { thread: ExportThread; from: number; to: number };

type TextContext = {
  /** The spans over the text as it is written (document order). */
  spans: SpanCursor;
  /** Every range edge, ascending. */
  cuts: number[];
  /** Range edges not yet written (markers and start anchors), ascending. */
  events: { pos: number; isEnd: boolean; thread: ExportThread }[];
  next: number;
  /** Section headings by position: the ids the contents list links to (contents.ts). */
  headings: Map<number, ContentsEntry>;
  /** The figures' images as data: URLs, by key. */
  images: ReadonlyMap<string, string>;
};

/** The highlight class of a thread's passage (and of its swatch in the legend). */
export function kindClass(thread: ExportThread): string {
  if (thread.layer === "private") return "hl-note";
  if (safeColor(thread.category?.color)) return "hl-cat";
  if (thread.kind === "GUIDING_QUESTION") return "hl-question";
  if (thread.kind === "COMMENT") return "hl-comment";
  return "hl-highlight";
}

/** The opening tag for text under these threads (newest on top, as the reading page draws it). */
function highlightOpen(over: Span[]): string {
  // The latest thread's look (the first of the latest, where several were made at once). ISO
  // times in one format order as strings; no copy, no sort: a piece of a dense text lies under
  // dozens of passages, and the text has tens of thousands of pieces.
  let top = (over[0] as Span).thread;
  for (const span of over) if (span.thread.createdAt > top.createdAt) top = span.thread;
  const color = safeColor(top.category?.color);
  let classes = `hl ${kindClass(top)}`;
  if (over.length > 1) classes += " hl-multi";
  if (top.resolvedAt) classes += " hl-resolved";
  const numbers = over.length === 1 ? String(top.number) : numbersInOrder(over);
  return `<mark class="${classes}" data-notes="${numbers}"${color ? ` style="--hl:${color}"` : ""}>`;
}

/** The spans' note numbers, ascending, space-separated. */
function numbersInOrder(spans: Span[]): string {
  const numbers = new Uint32Array(spans.length);
  for (let i = 0; i < spans.length; i++) numbers[i] = (spans[i] as Span).thread.number;
  return numbers.sort().join(" ");
}

/**
 * The spans at a position of the text, for positions asked in document order, as the
 * writer goes: each span is taken up at its start and dropped after its end, so a
 * position costs the spans open there, not every span (at 10,000 threads, filtering
 * every span for each of ~20,000 pieces of text took ~50 ms of the HTML's ~0.5 s).
 */
export class SpanCursor {
  private readonly byStart: Span[];
  private started = 0;
  /** Spans begun at or before `at` and ending after it. */
  private open: Span[] = [];
  private at = -Infinity;

  constructor(spans: Span[]) {
    this.byStart = [...spans].sort((a, b) => a.from - b.from);
  }

  /** The spans over the whole piece `from`–`to` (`from` < `to`). */
  over(from: number, to: number): Span[] {
    return this.openAt(from).filter((span) => span.to >= to);
  }

  /** The spans that begin before `pos` and go on after it. */
  around(pos: number): Span[] {
    return this.openAt(pos).filter((span) => span.from < pos);
  }

  private openAt(pos: number): Span[] {
    if (pos < this.at) {
      // Asked out of order: start again from the first span.
      this.started = 0;
      this.open = [];
    }
    if (pos !== this.at) {
      const open = this.open.filter((span) => span.to > pos);
      while (this.started < this.byStart.length && (this.byStart[this.started] as Span).from <= pos) {
        const span = this.byStart[this.started] as Span;
        if (span.to > pos) open.push(span);
        this.started += 1;
      }
      this.open = open;
      this.at = pos;
    }
    return this.open;
  }
}

/** The first index of `sorted` whose value is greater than `value`. */
function firstAbove(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) > value) high = middle;
    else low = middle + 1;
  }
  return low;
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
    const around = context.spans.around(pos);
    const sup = `<sup class="mk">${links}</sup>`;
    html += around.length > 0 ? `${highlightOpen(around)}${sup}</mark>` : sup;
  }
  for (const event of due)
    if (!event.isEnd) html += `<span class="pa" id="passage-${event.thread.number}"></span>`;
  return html;
}

function markText(
  text: string,
  marks: readonly { type: { name: string }; attrs?: Record<string, unknown> }[],
): string {
  let html = escapeHtml(text);
  if (marks.some((mark) => mark.type.name === "italic")) html = `<em>${html}</em>`;
  if (marks.some((mark) => mark.type.name === "bold")) html = `<strong>${html}</strong>`;
  const link = marks.find((mark) => mark.type.name === "link")?.attrs?.href;
  const href = typeof link === "string" ? link : "";
  if (SAFE_LINK.test(href))
    html = `<a href="${escapeHtml(href)}" rel="noopener noreferrer nofollow">${html}</a>`;
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
      const points = [pos];
      for (let i = firstAbove(context.cuts, pos); i < context.cuts.length; i++) {
        const cut = context.cuts[i] as number;
        if (cut >= end) break;
        points.push(cut);
      }
      points.push(end);
      for (let i = 0; i < points.length - 1; i++) {
        const from = points[i] as number;
        const to = points[i + 1] as number;
        if (i > 0) html += flushEvents(context, from);
        const piece = markText(text.slice(from - pos, to - pos), child.marks);
        const over = context.spans.over(from, to);
        html += over.length > 0 ? `${highlightOpen(over)}${piece}</mark>` : piece;
      }
    } else if (child.type.name === "footnoteReference") {
      const n = Number(child.attrs.number) || 0;
      html +=
        `<sup class="fn-ref" id="ref-${n}">` +
        `<a href="#note-${n}" role="doc-noteref" aria-label="Note ${n} of the text">${n}</a></sup>`;
    } else if (child.type.name === "pageMarker") {
      const label = escapeHtml(String(child.attrs.label));
      html += `<span class="page-marker" data-page="${label}" aria-label="Page ${label} of the source">${label}</span>`;
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
    case "heading": {
      const level = clampHeadingLevel(Number(node.attrs.level));
      const anchor = context.headings.get(pos);
      const id = anchor ? ` id="${escapeHtml(anchor.id)}"` : "";
      return `<h${level} class="doc-heading"${id}>${inlineHtml(node, pos + 1, context)}</h${level}>`;
    }
    case "verseLine": {
      const n = Number(node.attrs.number);
      const shown = n % 5 === 0 ? ` data-line-number="${n}"` : "";
      return `<p class="verse-line" data-line="${n}"${shown}>${inlineHtml(node, pos + 1, context)}</p>`;
    }
    case "figure": {
      const caption = String(node.attrs.caption);
      const alt = escapeHtml(String(node.attrs.alt));
      // The image travels inside the file; one whose bytes are gone leaves its description.
      const src = context.images.get(String(node.attrs.key));
      return (
        `<figure class="doc-figure">` +
        (src
          ? `<img src="${escapeHtml(src)}" alt="${alt}">`
          : `<p class="figure-missing">[Image: ${alt}]</p>`) +
        (caption ? `<figcaption>${escapeHtml(caption)}</figcaption>` : "") +
        `</figure>`
      );
    }
    case "verse":
    case "bulletList":
    case "orderedList":
    case "listItem":
    case "table":
    case "tableRow":
    case "tableCell": {
      const tags: Record<string, [string, string]> = {
        verse: ['<div class="verse">', "</div>"],
        bulletList: ["<ul>", "</ul>"],
        orderedList: ["<ol>", "</ol>"],
        listItem: ["<li>", "</li>"],
        table: ['<table class="doc-table"><tbody>', "</tbody></table>"],
        tableRow: ["<tr>", "</tr>"],
        tableCell: node.attrs.header ? ["<th>", "</th>"] : ["<td>", "</td>"],
      };
      const [open, close] = tags[node.type.name] as [string, string];
      let inner = "";
      node.forEach((child, offset) => {
        inner += blockHtml(child, pos + 1 + offset, context);
      });
      return `${open}${inner}${close}`;
    }
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
  block: BlockEstimate,
  options: HtmlExportOptions,
): string {
  // The PDF lays its pages out itself, and continues long notes in endnotes.
  const plan = options.forPdf
    ? new Map<string, MarginPlace>()
    : planMargin(unit.threads, block.px, block.offsetOf);
  const notes = unit.threads
    .map((thread) => {
      const place = plan.get(thread.id);
      return noteHtml(thread, { where: "margin", split: place?.split, offsetPx: place?.offsetPx });
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
    ? ` <a class="footnote-back" href="#ref-${n}" role="doc-backlink" aria-label="Back to text: reference ${n}">back to text</a>`
    : "";
  return passageHtml(
    `<p class="footnote" id="note-${n}"><span class="fn-num">${n}.</span> ${inner}${back}</p>`,
    unit,
    "fn-item",
    blockEstimate(doc, node, pos, FOOTNOTE_METRICS),
    options,
  );
}

/**
 * The text: every top-level block (and each footnote) a passage with its notes beside it,
 * one passage at a time, so that a caller can send each as it is written.
 */
export function* textHtmlChunks(data: ExportData, options: HtmlExportOptions): Generator<string> {
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
    spans: new SpanCursor(spans),
    cuts: [...new Set(spans.flatMap((span) => [span.from, span.to]))].sort((a, b) => a - b),
    events,
    next: 0,
    headings: headingAnchors(doc),
    images: data.document.images ?? new Map(),
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

  let unitIndex = 0;
  // A top-level node's offset in the doc's content is its position.
  for (let index = 0, pos = 0; index < doc.childCount; pos += doc.child(index).nodeSize, index++) {
    const node = doc.child(index);
    if (node.type.name === "footnotes") {
      yield (
        `<section class="footnotes" role="doc-endnotes" aria-labelledby="notes-heading">` +
        `<h2 class="section-heading keep-with-next" id="notes-heading">Notes</h2>`
      );
      for (let item = 0, offset = 0; item < node.childCount; offset += node.child(item).nodeSize, item++) {
        yield footnoteHtml(
          doc,
          node.child(item),
          pos + 1 + offset,
          context,
          units[unitIndex] as Unit,
          options,
        );
        unitIndex += 1;
      }
      yield `</section>`;
      continue;
    }
    const unit = units[unitIndex] as Unit;
    unitIndex += 1;
    const kind = node.type.name === "blockquote" ? "is-quote" : `is-${node.type.name}`;
    yield passageHtml(blockHtml(node, pos, context), unit, kind, blockEstimate(doc, node, pos), options);
  }
}
