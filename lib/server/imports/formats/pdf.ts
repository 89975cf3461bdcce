/**
 * PDF through pdfjs-dist's text layer (legacy build for Node 20, eval off,
 * no fonts loaded, no scripting: a PDF's JavaScript is never run). From
 * positioned runs of text to a reading:
 *
 * - columns: a vertical gutter free of text in the middle of a page splits it;
 *   full-width lines above the columns (a title) come first, then the left
 *   column, then the right;
 * - lines: runs on one baseline, joined with a space where there is a gap;
 * - running heads and feet: a top or bottom line that repeats (numbers
 *   ignored) on several pages, and a line that is only a page number, are removed;
 * - footnotes: small lines at the foot of a page starting with a number that
 *   appears as a superscript in the page become linked notes;
 * - paragraphs: a new one after a larger gap, or after a short last line;
 *   headings: lines in a larger size;
 * - hyphenation at line ends rejoined (lower-case continuation), soft hyphens
 *   and ligatures (ﬁ, ﬂ, …) normalised;
 * - every page begins with a page marker carrying the PDF's page label.
 *
 * A PDF with (almost) no text is a scan: refused as `scanned-pdf`, or, with
 * `ocr`, rasterised by pdftoppm and recognised by tesseract (ocr.ts).
 */
import type { JSONContent } from "@tiptap/core";
import type * as PdfJsModule from "pdfjs-dist/legacy/build/pdf.mjs";
import { ConversionRefusal, LIMITS, type ConvertOptions } from "../types";
import { newDraft, textNode, type ReadingDraft } from "../reading-draft";

type Run = { str: string; x: number; y: number; width: number; size: number };
type Line = {
  text: string;
  x: number;
  right: number;
  y: number;
  size: number;
  runs: Run[];
  /** The left and right edges of the column (or page) the line is in. */
  column: { left: number; right: number };
};

const LIGATURES: Record<string, string> = {
  "\ufb00": "ff",
  "\ufb01": "fi",
  "\ufb02": "fl",
  "\ufb03": "ffi",
  "\ufb04": "ffl",
  "\ufb05": "st",
  "\ufb06": "st",
};

/** Ligatures spelled out, soft hyphens removed. */
export function normaliseLigatures(text: string): string {
  return text.replace(/[\ufb00-\ufb06]/g, (c) => LIGATURES[c] ?? c).replace(/\u00ad/g, "");
}

type PdfJs = typeof PdfJsModule;

/** Where text recognition's share of the progress starts (after the text layer was read). */
export const OCR_START = 0.15;

/** Converts a PDF. */
export async function convertPdf(
  bytes: Uint8Array,
  options: Pick<ConvertOptions, "ocr" | "onProgress"> = {},
): Promise<ReadingDraft> {
  const pdfjs: PdfJs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  let pdf: Awaited<ReturnType<PdfJs["getDocument"]>["promise"]>;
  try {
    pdf = await pdfjs.getDocument({
      data: new Uint8Array(bytes),
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      enableXfa: false,
      stopAtErrors: false,
      verbosity: 0,
    }).promise;
  } catch (error) {
    const name = (error as Error).name;
    if (name === "PasswordException") {
      throw new ConversionRefusal(
        "encrypted",
        "The PDF is protected by a password. Save a copy without the password, then upload it.",
        422,
      );
    }
    throw new ConversionRefusal("malformed", `The PDF cannot be read (${(error as Error).message}).`, 422);
  }
  try {
    if (pdf.numPages > LIMITS.pdfPages) {
      throw new ConversionRefusal(
        "too-large",
        `The PDF has ${pdf.numPages} pages; the limit is ${LIMITS.pdfPages}.`,
        413,
      );
    }
    const labels = (await pdf.getPageLabels().catch(() => null)) ?? [];
    const info = ((await pdf.getMetadata().catch(() => null))?.info ?? {}) as {
      Title?: string;
      Author?: string;
    };
    // With OCR asked for, reading the text layer is a small first part of the work: the
    // progress reported must only go forward, and recognition takes the rest (ocr.ts).
    const readShare = options.ocr ? OCR_START - 0.1 : 0.6;
    const pages: { runs: Run[]; width: number; height: number; label: string }[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const viewport = page.getViewport({ scale: 1 });
      const content = await page.getTextContent();
      const runs: Run[] = [];
      for (const item of content.items) {
        if (!("str" in item) || !item.str) continue;
        const [a, b, , d, e, f] = item.transform as number[];
        const size = Math.hypot(a ?? 0, b ?? 0) || Math.abs(d ?? 0) || item.height;
        runs.push({ str: normaliseLigatures(item.str), x: e ?? 0, y: f ?? 0, width: item.width, size });
      }
      pages.push({ runs, width: viewport.width, height: viewport.height, label: labels[n - 1] || String(n) });
      page.cleanup();
      options.onProgress?.({ stage: "reading pages", fraction: 0.1 + (readShare * n) / pdf.numPages });
    }
    const characters = pages.reduce(
      (sum, page) => sum + page.runs.reduce((s, run) => s + run.str.trim().length, 0),
      0,
    );
    if (characters < 20 * pages.length) {
      if (!options.ocr) {
        throw new ConversionRefusal(
          "scanned-pdf",
          "This PDF has no text layer: it is a scan, an image of each page. Run text recognition (OCR) on it, or upload a version with selectable text.",
          422,
        );
      }
      const { ocrPdf } = await import("./ocr");
      return ocrPdf(
        bytes,
        pages.map((page) => page.label),
        options,
      );
    }
    const draft = layoutPages(pages);
    if (info.Title && !/^(untitled|microsoft word|document\d*)\b/i.test(info.Title.trim()))
      draft.title = info.Title.trim();
    if (info.Author) draft.byline = info.Author.trim();
    dropHeaderEcho(draft);
    return draft;
  } finally {
    await pdf.destroy();
  }
}

/** The reading order, lines, paragraphs and notes of laid-out pages. */
export function layoutPages(
  pages: { runs: Run[]; width: number; height: number; label: string }[],
): ReadingDraft {
  const draft = newDraft();
  const pageLines = pages.map((page) => orderedLines(page.runs, page.width));
  const bodySize = medianSize(pageLines.flat());

  // Running heads and feet: the first and last lines that repeat across pages.
  const edgeKey = (line: Line) =>
    line.text
      .replace(/\d+|\b[ivxlc]+\b/gi, "#")
      .replace(/\s+/g, " ")
      .trim()
      .toLowerCase();
  const counts = new Map<string, number>();
  for (const lines of pageLines) {
    const edges = new Set(
      [lines[0], lines[1], lines[lines.length - 1], lines[lines.length - 2]]
        .filter(Boolean)
        .map((l) => edgeKey(l as Line)),
    );
    for (const key of edges) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const repeated = (line: Line) =>
    pages.length >= 3 && (counts.get(edgeKey(line)) ?? 0) >= Math.max(2, pages.length * 0.5);
  const isPageNumber = (line: Line) =>
    /^[-–—\s]*(?:page\s+)?(?:\d{1,4}|[ivxlcdm]{1,7})[-–—\s]*$/i.test(line.text.trim());
  let removedPages = 0;

  let paragraph: JSONContent | null = null;
  /** The lines of each paragraph, to tell verse (every line short of the column's edge) from prose. */
  const paragraphLines = new Map<
    JSONContent,
    { inline: JSONContent[]; line: Line; marker: JSONContent | null }[]
  >();
  let lastLine: Line | null = null;
  let columnRight = 0;
  const endParagraph = () => {
    paragraph = null;
  };

  pageLines.forEach((allLines, p) => {
    const page = pages[p] as (typeof pages)[number];
    const lines = [...allLines];
    let removed = false;
    const cut = (index: number) => {
      lines.splice(index, 1);
      removed = true;
    };
    for (let k = 0; k < 2 && lines.length > 0; k++) {
      const first = lines[0] as Line;
      if (repeated(first) || (isPageNumber(first) && first.y > page.height * 0.85)) cut(0);
    }
    for (let k = 0; k < 2 && lines.length > 0; k++) {
      const last = lines[lines.length - 1] as Line;
      if (repeated(last) || (isPageNumber(last) && last.y < page.height * 0.15)) cut(lines.length - 1);
    }
    if (removed) removedPages++;

    // Footnotes: from the first line in the page's lower half that starts with a
    // note mark (a small number, or a number in small text) matching a superscript in the page.
    const superscripts = new Set<string>();
    for (const line of lines) for (const run of superscriptRuns(line)) superscripts.add(run.str.trim());
    const noteMark = (line: Line): string | null => {
      const first = line.runs.find((run) => run.str.trim() !== "");
      const m = /^(\d{1,3})[.)]?(?:\s|$)/.exec(line.text);
      if (!first || !m || !superscripts.has(m[1] as string)) return null;
      const small = first.size < line.size * 0.85 || line.size < bodySize * 0.92;
      return small ? (m[1] as string) : null;
    };
    let footStart = lines.length;
    for (const [i, line] of lines.entries()) {
      if (i > 0 && line.y < page.height * 0.5 && noteMark(line) !== null) {
        footStart = i;
        break;
      }
    }
    const foot = lines.slice(footStart);
    const body = lines.slice(0, footStart);
    const pageNotes = new Map<string, string>();
    let currentNote: string | null = null;
    for (const line of foot) {
      const n = noteMark(line);
      if (n !== null) {
        currentNote = n;
        pageNotes.set(n, line.text.replace(/^\d{1,3}[.)]?\s*/, "").trim());
      } else if (currentNote) {
        pageNotes.set(currentNote, joinLines(pageNotes.get(currentNote) ?? "", line.text));
      }
    }
    for (const [n, text] of pageNotes) draft.notes.set(`${p}:${n}`, textNode(text));

    // Body lines into paragraphs and headings.
    const marker: JSONContent = { type: "pageMarker", attrs: { label: page.label } };
    draft.pages++;
    let markerPlaced = false;
    const spacing = typicalSpacing(body);
    for (const [i, line] of body.entries()) {
      const previous = i > 0 ? (body[i - 1] as Line) : null;
      const inline = lineInline(line, pageNotes, p);
      if (line.size > bodySize * 1.15 && line.text.length < 200) {
        const level = line.size > bodySize * 1.6 ? 2 : line.size > bodySize * 1.3 ? 3 : 4;
        const lastBlock = draft.blocks[draft.blocks.length - 1];
        if (paragraph === null && lastBlock?.type === "heading" && previous && previous.size === line.size) {
          lastBlock.content = [...(lastBlock.content ?? []), { type: "text", text: " " }, ...inline];
        } else {
          draft.blocks.push({
            type: "heading",
            attrs: { level },
            content: markerPlaced ? inline : [marker, ...inline],
          });
        }
        markerPlaced = true;
        endParagraph();
        lastLine = line;
        continue;
      }
      const sameColumn = previous !== null && Math.abs(previous.x - line.x) < page.width * 0.3;
      const gap = previous && sameColumn ? previous.y - line.y : spacing;
      columnRight =
        sameColumn && previous
          ? Math.max(columnRight, previous.right)
          : Math.max(line.right, lastLine?.right ?? 0);
      const centred =
        lastLine !== null &&
        lastLine.x - line.x > bodySize * 2 &&
        lastLine.right < line.column.right - bodySize * 2;
      const continues =
        paragraph !== null &&
        !centred &&
        lastLine !== null &&
        (previous === null || gap < spacing * 1.4) &&
        !(lastLine.right < columnRight - Math.max(30, bodySize * 3) && /[.!?:”’"]$/.test(lastLine.text)) &&
        !(previous === null && /[.!?”"]$/.test(lastLine.text) && /^[A-Z“"]/.test(line.text)) &&
        !(
          sameColumn &&
          previous !== null &&
          line.x > previous.x + bodySize * 0.8 &&
          /[.!?:”’"]$/.test(previous.text)
        );
      if (continues && paragraph) {
        const content = paragraph.content as JSONContent[];
        const lastText = [...content].reverse().find((node) => node.type === "text");
        const joined = lastText && /[A-Za-z]-$/.test(lastText.text ?? "") && /^[a-z]/.test(line.text);
        if (lastText && joined) lastText.text = (lastText.text ?? "").slice(0, -1);
        else content.push({ type: "text", text: " " });
        if (!markerPlaced) content.push(marker);
        content.push(...inline);
        paragraphLines.get(paragraph)?.push({ inline, line, marker: markerPlaced ? null : marker });
      } else {
        paragraph = { type: "paragraph", content: markerPlaced ? [...inline] : [marker, ...inline] };
        paragraphLines.set(paragraph, [{ inline, line, marker: markerPlaced ? null : marker }]);
        draft.blocks.push(paragraph);
      }
      markerPlaced = true;
      lastLine = line;
    }
    if (!markerPlaced) draft.blocks.push({ type: "paragraph", content: [marker] });
  });

  // Verse: a paragraph of two or more lines that all stop well short of the column's right edge.
  draft.blocks = draft.blocks.map((block) => {
    const lines = paragraphLines.get(block);
    if (!lines || lines.length < 2) return block;
    const short = lines.every(
      ({ line }) => line.right < line.column.left + (line.column.right - line.column.left) * 0.75,
    );
    if (!short) return block;
    return {
      type: "verse",
      content: lines.map(({ inline, marker }) => ({
        type: "verseLine",
        content: marker ? [marker, ...inline] : inline,
      })),
    };
  });

  const firstHeading = draft.blocks.find((block) => block.type === "heading");
  if (firstHeading && draft.blocks.indexOf(firstHeading) <= 1) {
    draft.title = (firstHeading.content ?? [])
      .map((node) => node.text ?? "")
      .join("")
      .trim();
    // Keep its page marker: it moves to the next block.
    draft.blocks[draft.blocks.indexOf(firstHeading)] = {
      type: "paragraph",
      content: (firstHeading.content ?? []).filter((node) => node.type === "pageMarker"),
    };
  }
  if (removedPages > 0) {
    draft.warnings.push({
      code: "running-heads-removed",
      message: `The running heads and page numbers of ${removedPages} page${removedPages === 1 ? " were" : "s were"} removed.`,
    });
  }
  return draft;
}

/** A line's inline content: superscript note numbers become note references. */
function lineInline(line: Line, notes: Map<string, string>, page: number): JSONContent[] {
  const sups = new Set(superscriptRuns(line).filter((run) => notes.has(run.str.trim())));
  if (sups.size === 0) return textNode(line.text);
  const out: JSONContent[] = [];
  let text = "";
  let lastRight: number | null = null;
  for (const run of line.runs) {
    if (sups.has(run)) {
      out.push(...textNode(text));
      text = "";
      out.push({ type: "footnoteReference", attrs: { ref: `${page}:${run.str.trim()}` } });
    } else {
      if (lastRight !== null && needsSpace(text, run, lastRight)) text += " ";
      text += run.str;
    }
    lastRight = run.x + run.width;
  }
  out.push(...textNode(text.replace(/\s+/g, " ")));
  return out;
}

function superscriptRuns(line: Line): Run[] {
  return line.runs.filter(
    (run) =>
      /^\s*\d{1,3}\s*$/.test(run.str) && run.size < line.size * 0.85 && run.y > line.y + line.size * 0.15,
  );
}

/** Runs into lines, in reading order (columns detected per page). */
function orderedLines(runs: Run[], pageWidth: number): Line[] {
  const visible = runs.filter((run) => run.str.trim() !== "" || run.width > 0);
  const gutter = findGutter(visible, pageWidth);
  const margin = Math.min(...visible.map((run) => run.x));
  const pageRight = Math.max(pageWidth - margin, ...visible.map((run) => run.x + run.width));
  if (gutter === null) return toLines(visible, { left: margin, right: pageRight });
  const left = visible.filter((run) => run.x + run.width <= gutter);
  const right = visible.filter((run) => run.x >= gutter);
  const spanning = visible.filter((run) => run.x < gutter && run.x + run.width > gutter);
  const columnTop = Math.max(...[...left, ...right].map((run) => run.y));
  const above = spanning.filter((run) => run.y > columnTop);
  const below = spanning.filter((run) => run.y <= columnTop);
  const page = { left: margin, right: pageRight };
  return [
    ...toLines(above, page),
    ...toLines(left, { left: margin, right: gutter }),
    ...toLines(right, { left: gutter, right: pageRight }),
    ...toLines(below, page),
  ];
}

/** An x position in the middle third of the page that no run crosses, with text on both sides. */
function findGutter(runs: Run[], pageWidth: number): number | null {
  if (runs.length < 20) return null;
  const width = Math.ceil(pageWidth);
  const cover = new Uint16Array(width + 1);
  for (const run of runs) {
    for (let x = Math.max(0, Math.floor(run.x)); x <= Math.min(width, Math.ceil(run.x + run.width)); x++)
      cover[x] = (cover[x] ?? 0) + 1;
  }
  // Allow a few crossing runs (a full-width title); a real gutter is crossed by almost none.
  const threshold = Math.max(4, Math.round(runs.length * 0.05));
  let best: { start: number; length: number } | null = null;
  let start = -1;
  for (let x = Math.floor(width / 3); x <= Math.ceil((2 * width) / 3); x++) {
    if ((cover[x] ?? 0) <= threshold) {
      if (start < 0) start = x;
      const length = x - start + 1;
      if (!best || length > best.length) best = { start, length };
    } else start = -1;
  }
  if (!best || best.length < 8) return null;
  const mid = best.start + best.length / 2;
  const leftCount = runs.filter((run) => run.x + run.width <= mid).length;
  const rightCount = runs.filter((run) => run.x >= mid).length;
  return leftCount > runs.length * 0.2 && rightCount > runs.length * 0.2 ? mid : null;
}

function toLines(runs: Run[], column: { left: number; right: number }): Line[] {
  return toLinesWithoutColumn(runs).map((line) => ({ ...line, column }));
}

function toLinesWithoutColumn(runs: Run[]): Line[] {
  const sorted = [...runs].sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: Run[][] = [];
  for (const run of sorted) {
    const line = lines[lines.length - 1];
    const base = line?.find((r) => r.str.trim() !== "") ?? line?.[0];
    // Same line: baselines within a third of the size (a superscript sits a little higher).
    if (line && base && Math.abs(base.y - run.y) < Math.max(base.size, run.size) * 0.45) line.push(run);
    else lines.push([run]);
  }
  return lines
    .map((line) => {
      const ordered = line.sort((a, b) => a.x - b.x);
      const main = ordered.reduce(
        (m, r) => (r.str.trim().length > m.str.trim().length ? r : m),
        ordered[0] as Run,
      );
      let text = "";
      let lastRight: number | null = null;
      for (const run of ordered) {
        if (lastRight !== null && needsSpace(text, run, lastRight)) text += " ";
        text += run.str;
        lastRight = run.x + run.width;
      }
      const last = ordered[ordered.length - 1] as Run;
      return {
        text: text.replace(/\s+/g, " ").trim(),
        x: (ordered[0] as Run).x,
        right: last.x + last.width,
        y: main.y,
        size: main.size,
        runs: ordered,
        column: { left: 0, right: 0 },
      };
    })
    .filter((line) => line.text !== "");
}

function needsSpace(text: string, run: Run, lastRight: number): boolean {
  return !/\s$/.test(text) && !/^\s/.test(run.str) && run.x - lastRight > run.size * 0.12;
}

function medianSize(lines: Line[]): number {
  const sizes = lines.flatMap(
    (line) => Array(Math.min(line.text.length, 200)).fill(Math.round(line.size * 10) / 10) as number[],
  );
  sizes.sort((a, b) => a - b);
  return sizes[Math.floor(sizes.length / 2)] ?? 10;
}

function typicalSpacing(lines: Line[]): number {
  const gaps: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const gap = (lines[i - 1] as Line).y - (lines[i] as Line).y;
    if (gap > 0) gaps.push(gap);
  }
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)] ?? 14;
}

function joinLines(a: string, b: string): string {
  if (/[A-Za-z]-$/.test(a) && /^[a-z]/.test(b)) return a.slice(0, -1) + b;
  return a ? `${a} ${b}` : b;
}

/** Lines at the top of the first page that repeat the title, author or date leave the text (their page marker stays). */
function dropHeaderEcho(draft: ReadingDraft) {
  const known = [draft.title, draft.byline, draft.date ?? ""]
    .map((value) => value.trim().toLowerCase())
    .filter(Boolean);
  for (let i = 0; i < Math.min(4, draft.blocks.length); i++) {
    const block = draft.blocks[i] as JSONContent;
    if (block.type !== "paragraph" && block.type !== "heading") break;
    const words = (block.content ?? [])
      .map((node) => node.text ?? "")
      .join("")
      .trim()
      .toLowerCase();
    if (!words) continue;
    let rest = words;
    for (const value of known) rest = rest.replace(value, "").trim();
    if (rest !== "") {
      if (block.type === "heading") continue;
      break;
    }
    block.type = "paragraph";
    block.content = (block.content ?? []).filter((node) => node.type === "pageMarker");
  }
}
