/**
 * The annotated copy as a PDF: the HTML export's markup, laid out into A4
 * pages by headless Chromium (Debian's, never downloaded) and printed.
 *
 * Chromium's own pagination cannot keep a margin note beside its passage, so
 * we paginate ourselves before printing: {@link layoutPages} runs in the page
 * (page scripts stay disabled; Playwright evaluates it) and moves the text,
 * block by block, into fixed-size page boxes — splitting paragraphs at line
 * boundaries, with no single line left at either side of a break — then sets
 * each note absolutely in its page's margin column beside the line where its
 * passage starts. A note that does not fit in the space left on its page is
 * cut between two comments and continues in an "Endnotes" section at the
 * end, or, when not even its first comment fits, leaves a one-line pointer in
 * the margin and moves there whole. Numbers never change, and every pointer
 * names the page it points to. Since each page box is a little shorter than
 * the printable area, Chromium's pages are exactly our pages.
 */
import type { Browser } from "playwright-core";
import { AppError } from "@/lib/shared/errors";
import { escapeHtml, formatLongDate, renderHtmlExport } from "./html";
import type { ExportData } from "./load-export-data";
import { CHROMIUM_ARGS, chromiumCandidates, findChromiumPath } from "../chromium";

/** The page geometry, in millimetres (A4 portrait). Text, gutter and margin column fill the width between the side margins. */
export const PDF_PAGE = {
  /** Paper width. */
  widthMm: 210,
  /** Paper height. */
  heightMm: 297,
  /** Top margin (holds the running header). */
  topMm: 16,
  /** Bottom margin (holds the footer with the page number). */
  bottomMm: 17,
  /** Inner edge to the text. */
  leftMm: 20,
  /** Margin column to the paper's edge. */
  rightMm: 13,
  /** The text column. */
  textMm: 113,
  /** Between the text and the notes. */
  gutterMm: 8,
  /** The notes column. */
  notesMm: 56,
} as const;

/** What the layout did, for tests and logs. */
export type PdfLayoutReport = {
  /** Pages laid out. */
  pages: number;
  /** Pages Chromium printed (the same, unless its pagination disagreed with the layout twice). */
  printedPages?: number;
  /** Layouts made: 2 when the first one's pages did not match Chromium's. */
  attempts?: number;
  /** Note numbers set whole in the endnotes (a pointer stays in the margin). */
  movedToEndnotes: number[];
  /** Note numbers begun in the margin and continued in the endnotes. */
  continuedInEndnotes: number[];
  /** Blocks taller than a page that could not be split (they overflow their page). */
  overflowingPages: number[];
  /** How far down each page's text and notes reach, px, and the page box's height. */
  fill: { text: number; notes: number; height: number }[];
};

export { chromiumCandidates };

/** The Chromium to render with; an `unavailable` error that says what to install when there is none. */
export function findChromiumExecutable(candidates: string[] = chromiumCandidates()): string {
  const found = findChromiumPath(candidates);
  if (!found) {
    throw new AppError(
      "unavailable",
      "PDF export needs Chromium on the server: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.",
    );
  }
  return found;
}

// ---------------------------------------------------------------------------
// One browser per process, launched on first use, closed when idle
// ---------------------------------------------------------------------------

/** Close the shared browser after this long without a render. */
const IDLE_CLOSE_MS = 60_000;
/** Renders at once; more wait their turn (each takes a Chromium renderer and ~1 s of CPU). */
const MAX_CONCURRENT_RENDERS = 2;
/** A render that takes longer than this fails instead of holding the request. */
const RENDER_TIMEOUT_MS = 60_000;

let browserPromise: Promise<Browser> | null = null;
let idleTimer: NodeJS.Timeout | null = null;
let running = 0;
const waiting: (() => void)[] = [];

async function loadChromium() {
  try {
    return (await import("playwright-core")).chromium;
  } catch {
    throw new AppError(
      "unavailable",
      "PDF export needs the playwright-core package on the server (npm install playwright-core).",
    );
  }
}

function launch(): Promise<Browser> {
  const executablePath = findChromiumExecutable();
  const promise = loadChromium()
    .then((chromium) =>
      chromium.launch({
        executablePath,
        headless: true,
        args: CHROMIUM_ARGS,
      }),
    )
    .then((browser) => {
      // A crashed or closed browser is launched again by the next render.
      browser.on("disconnected", () => {
        if (browserPromise === promise) browserPromise = null;
      });
      return browser;
    });
  promise.catch(() => {
    if (browserPromise === promise) browserPromise = null;
  });
  return promise;
}

async function acquire(): Promise<Browser> {
  // A finished render hands its slot straight to the next in line (see release).
  if (running >= MAX_CONCURRENT_RENDERS) await new Promise<void>((resolve) => waiting.push(resolve));
  else running += 1;
  if (idleTimer) {
    clearTimeout(idleTimer);
    idleTimer = null;
  }
  try {
    browserPromise ??= launch();
    return await browserPromise;
  } catch (error) {
    release();
    if (error instanceof AppError) throw error;
    throw new AppError("unavailable", `Chromium could not be started for the PDF export: ${String(error)}`);
  }
}

function release() {
  const next = waiting.shift();
  if (next) return next();
  running -= 1;
  if (running === 0 && browserPromise) {
    // Playwright also kills the browser when this process exits; the timer is unref'd so it keeps nothing alive.
    idleTimer = setTimeout(() => void closePdfBrowser(), IDLE_CLOSE_MS);
    idleTimer.unref();
  }
}

/** Closes the shared browser (tests call it in afterAll; the idle timer calls it too). */
export async function closePdfBrowser(): Promise<void> {
  if (idleTimer) {
    clearTimeout(idleTimer);
    idleTimer = null;
  }
  const promise = browserPromise;
  browserPromise = null;
  if (!promise) return;
  try {
    await (await promise).close();
  } catch {
    // Already gone.
  }
}

// ---------------------------------------------------------------------------
// The layout, run inside the page
// ---------------------------------------------------------------------------

type LayoutConfig = {
  /** CSS custom properties for the page geometry. */
  vars: Record<string, string>;
  /** Space between two notes in the margin, px. */
  noteGapPx: number;
  /** Space kept free at the foot of every page, px (more when a print came out longer than laid out). */
  safetyPx: number;
};

/**
 * Paginates the export in the page (see the module comment). Runs inside
 * Chromium through `page.evaluate`, so it is self-contained: no imports, no
 * closures over this module.
 */
function layoutPages(config: LayoutConfig): PdfLayoutReport {
  const root = document.documentElement;
  for (const [name, value] of Object.entries(config.vars)) root.style.setProperty(name, value);
  const GAP = config.noteGapPx;

  const make = (tag: string, className: string, text?: string) => {
    const element = document.createElement(tag);
    element.className = className;
    if (text !== undefined) element.textContent = text;
    return element;
  };

  // ---- Collect the flow (blocks in reading order) and each passage's notes.
  type FlowItem = { element: HTMLElement };
  const sheet = document.querySelector<HTMLElement>(".sheet");
  const main = document.querySelector<HTMLElement>("main.text");
  if (!sheet || !main) throw new Error("Not an annotated copy.");
  const flow: FlowItem[] = [];
  const notes: HTMLElement[] = [];
  const header = sheet.querySelector<HTMLElement>(".export-header");
  if (header) flow.push({ element: header });
  const takePassage = (passage: HTMLElement) => {
    const column = passage.querySelector(":scope > .passage-notes");
    if (column) {
      notes.push(...Array.from(column.children as HTMLCollectionOf<HTMLElement>));
      column.remove();
    }
    flow.push({ element: passage });
  };
  const flowNote = (note: HTMLElement) => {
    const wrapper = make("div", "flow-note");
    wrapper.append(note);
    return wrapper;
  };
  for (const child of Array.from(main.children as HTMLCollectionOf<HTMLElement>)) {
    if (child.classList.contains("passage")) {
      takePassage(child);
      continue;
    }
    for (const part of Array.from(child.children as HTMLCollectionOf<HTMLElement>)) {
      if (part.classList.contains("passage")) takePassage(part);
      else if (part.matches("aside.note")) flow.push({ element: flowNote(part) });
      else flow.push({ element: part });
    }
  }

  // ---- Pages.
  type Page = { box: HTMLElement; text: HTMLElement; margin: HTMLElement };
  // The pages take the place of <main class="text">, and its typography.
  const book = make("div", "pages text");
  document.body.append(book);
  sheet.style.display = "none";
  const pages: Page[] = [];
  const newPage = (): Page => {
    const page = {
      box: make("div", "page"),
      text: make("div", "page-text"),
      margin: make("div", "page-margin"),
    };
    page.box.append(page.text, page.margin);
    book.append(page.box);
    pages.push(page);
    return page;
  };
  newPage();
  const H = (pages[0] as Page).box.getBoundingClientRect().height - config.safetyPx;
  const last = () => pages[pages.length - 1] as Page;
  const topOf = (page: Page) => page.box.getBoundingClientRect().top;
  const overflowing = new Set<number>();
  /** A split block → its continuation on the next page. */
  const continuations = new Map<Element, HTMLElement>();

  // ---- Splitting an element at a line boundary.
  const range = document.createRange();
  const charRect = (node: Text, offset: number): DOMRect | null => {
    range.setStart(node, offset);
    range.setEnd(node, offset + 1);
    const rect = range.getBoundingClientRect();
    return rect.width === 0 && rect.height === 0 ? null : rect;
  };
  const textNodes = (element: HTMLElement): Text[] => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    const nodes: Text[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node as Text);
    return nodes;
  };
  const lineHeightOf = (node: Node): number => {
    const style = getComputedStyle(node.parentElement ?? document.body);
    const value = parseFloat(style.lineHeight);
    return Number.isFinite(value) ? value : parseFloat(style.fontSize) * 1.4;
  };

  /** Where a break before the first line that ends below `limitY` goes: { node, offset }, or null when none. */
  const findBreak = (
    element: HTMLElement,
    limitY: number,
  ): { node: Text; offset: number; lineTop: number } | null => {
    const nodes = textNodes(element);
    for (let n = 0; n < nodes.length; n++) {
      const node = nodes[n] as Text;
      range.selectNodeContents(node);
      if (range.getBoundingClientRect().bottom <= limitY) continue;
      for (let i = 0; i < node.length; i++) {
        const rect = charRect(node, i);
        if (!rect || rect.bottom <= limitY) continue;
        // The first character that ends below the limit: break at the start of its line,
        // i.e. after the last visible character above the line's top.
        const lineTop = rect.top;
        let breakNode = node;
        let breakOffset = i;
        scan: for (let m = n; m >= 0; m--) {
          const candidate = nodes[m] as Text;
          for (let j = m === n ? i - 1 : candidate.length - 1; j >= 0; j--) {
            const before = charRect(candidate, j);
            if (before && (before.top + before.bottom) / 2 <= lineTop) break scan;
            breakNode = candidate;
            breakOffset = j;
          }
        }
        return { node: breakNode, offset: breakOffset, lineTop };
      }
    }
    return null;
  };

  /**
   * Cuts `element` before the first line ending below `limitY` and returns
   * the rest (a shallow clone holding everything after the cut), or null
   * when it cannot be cut there without leaving a single line on either side.
   */
  const splitAtLine = (element: HTMLElement, limitY: number): HTMLElement | null => {
    const nodes = textNodes(element).filter((node) => node.data.trim() !== "");
    if (nodes.length === 0) return null;
    const first = nodes[0] as Text;
    const lastNode = nodes[nodes.length - 1] as Text;
    let firstTop = Infinity;
    for (let i = 0; i < first.length && firstTop === Infinity; i++)
      firstTop = charRect(first, i)?.top ?? Infinity;
    let lastTop = -Infinity;
    for (let i = lastNode.length - 1; i >= 0 && lastTop === -Infinity; i--)
      lastTop = charRect(lastNode, i)?.top ?? -Infinity;
    let limit = limitY;
    for (let attempt = 0; attempt < 3; attempt++) {
      const found = findBreak(element, limit);
      if (!found) return null;
      const lineHeight = lineHeightOf(found.node);
      const before = Math.round((found.lineTop - firstTop) / lineHeight);
      const after = Math.round((lastTop - found.lineTop) / lineHeight) + 1;
      if (before < 2) return null;
      if (after < 2) {
        // Take a line along so that the next page does not start with a widow:
        // the first character ending below this limit is on the line before.
        limit = found.lineTop - lineHeight + 1;
        continue;
      }
      return cutAt(element, found.node, found.offset);
    }
    return null;
  };

  /** Splits `element` at a point: the original keeps what is before, the returned clone holds the rest. */
  const cutAt = (element: HTMLElement, node: Node, offset: number | "before"): HTMLElement => {
    const ancestors: HTMLElement[] = [];
    for (let at = node.parentElement; at && at !== element; at = at.parentElement) ancestors.unshift(at);
    if (offset === "before") range.setStartBefore(node);
    else range.setStart(node, offset);
    range.setEnd(element, element.childNodes.length);
    const rest = element.cloneNode(false) as HTMLElement;
    rest.append(range.extractContents());
    // The partially cut ancestors were cloned: no duplicate ids, and mark both sides of the cut.
    for (const withId of Array.from(rest.querySelectorAll<HTMLElement>("[id]"))) {
      if (document.getElementById(withId.id)) withId.removeAttribute("id");
    }
    let clone: Element | null = rest;
    for (const ancestor of ancestors) {
      if (offset === "before" && ancestor === node) break;
      ancestor.setAttribute("data-broken", "");
      clone = clone?.firstElementChild ?? null;
      clone?.setAttribute("data-continued", "");
    }
    // Leftovers of the cut: empty shells at the end of the original.
    for (
      let tail = element.lastElementChild;
      tail && tail.textContent?.trim() === "";
      tail = element.lastElementChild
    ) {
      tail.remove();
    }
    return rest;
  };

  // ---- Flowing blocks into pages.
  // The page's text column is a flow root, so its height includes the last block's bottom
  // margin: a margin that reached past the page would make Chromium start a page of its own.
  const bottomOnPage = (element: HTMLElement, page: Page) =>
    Math.max(element.getBoundingClientRect().bottom, page.text.getBoundingClientRect().bottom) - topOf(page);
  const isSplittable = (element: HTMLElement) =>
    element.classList.contains("passage") || element.classList.contains("flow-note");
  const KEEP_WITH_NEXT_PX = 3 * 16;

  const place = (item: FlowItem) => {
    let element = item.element;
    let page = last();
    page.text.append(element);
    if (element.classList.contains("keep-with-next") && bottomOnPage(element, page) + KEEP_WITH_NEXT_PX > H) {
      // A heading (or an introduction) goes with what follows it; take the previous keep-with-next along.
      const previous = element.previousElementSibling as HTMLElement | null;
      page = newPage();
      if (previous?.classList.contains("keep-with-next")) page.text.append(previous);
      page.text.append(element);
      return;
    }
    for (let guard = 0; guard < 500 && bottomOnPage(element, page) > H; guard++) {
      const isFirst = element === page.text.firstElementChild;
      const rest = isSplittable(element) ? splitAtLine(element, topOf(page) + H) : null;
      if (rest) {
        continuations.set(element, rest);
        page = newPage();
        page.text.append(rest);
        element = rest;
        continue;
      }
      if (isFirst) {
        overflowing.add(pages.length);
        break;
      }
      page = newPage();
      page.text.append(element);
    }
  };
  for (const item of flow) place(item);

  // ---- Notes in the margins.
  type Placed = { element: HTMLElement; top: number; height: number; minTop: number };
  const endnotes: { number: number; element: HTMLElement; isContinuation: boolean }[] = [];
  const movedToEndnotes: number[] = [];
  const continuedInEndnotes: number[] = [];
  const pointers: { link: HTMLAnchorElement; targetId: string }[] = [];
  const noteNumber = (note: HTMLElement) => Number(note.dataset.note);
  const pageIndexOf = (element: Element) => pages.findIndex((page) => page.box.contains(element));

  type Entry = { note: HTMLElement; anchorY: number; minTop: number; passage: Element | null };
  const byPage = new Map<number, Entry[]>();
  for (const note of notes) {
    const anchor = document.getElementById(`passage-${noteNumber(note)}`);
    const index = anchor ? pageIndexOf(anchor) : -1;
    if (!anchor || index < 0) {
      // Cannot happen for an anchored thread; keep the note anyway.
      endnotes.push({ number: noteNumber(note), element: note, isContinuation: false });
      movedToEndnotes.push(noteNumber(note));
      continue;
    }
    const page = pages[index] as Page;
    const pageTop = topOf(page);
    const anchorY = Math.max(0, anchor.getBoundingClientRect().top - pageTop - 1);
    const passage = anchor.closest(".passage");
    const minTop = passage ? Math.max(0, passage.getBoundingClientRect().top - pageTop) : 0;
    const list = byPage.get(index) ?? [];
    list.push({ note, anchorY, minTop: Math.min(minTop, anchorY), passage });
    byPage.set(index, list);
  }

  const heightIn = (page: Page, element: HTMLElement) => {
    if (element.parentElement !== page.margin) page.margin.append(element);
    return element.getBoundingClientRect().height;
  };
  const pointerTo = (text: string, targetId: string, className: string) => {
    const paragraph = make("p", className);
    const link = make("a", "to-endnote", text) as HTMLAnchorElement;
    link.href = `#${targetId}`;
    paragraph.append(link);
    pointers.push({ link, targetId });
    return paragraph;
  };
  const makeStub = (note: HTMLElement) => {
    const stub = make("div", "note-stub");
    const number = make("a", "note-num", String(noteNumber(note))) as HTMLAnchorElement;
    number.href = `#thread-${noteNumber(note)}`;
    const kind = note.querySelector(".note-kind")?.textContent ?? "Note";
    const author = note.querySelector(".author")?.textContent;
    stub.append(number, `${kind}${author ? ` · ${author}` : ""} — `);
    const link = make("a", "to-endnote", "in the endnotes") as HTMLAnchorElement;
    link.href = `#thread-${noteNumber(note)}`;
    pointers.push({ link, targetId: `thread-${noteNumber(note)}` });
    stub.append(link);
    return stub;
  };

  /** Cuts a note before the last comment that still starts within `available` px; the rest, or null. */
  const splitBetweenComments = (note: HTMLElement, available: number): HTMLElement | null => {
    const noteTop = note.getBoundingClientRect().top;
    const comments = Array.from(note.querySelectorAll<HTMLElement>("li.comment")).slice(1);
    let cut: HTMLElement | null = null;
    for (const comment of comments) {
      if (comment.getBoundingClientRect().top - noteTop <= available) cut = comment;
      else break;
    }
    if (!cut) return null;
    const rest = cutAt(note, cut, "before");
    rest.id = `thread-${noteNumber(note)}-continued`;
    const head = note.querySelector(".note-head")?.cloneNode(true) as HTMLElement | undefined;
    if (head) {
      const kind = head.querySelector(".note-kind");
      if (kind) kind.textContent = `${kind.textContent ?? ""}, continued`;
      rest.prepend(head);
    }
    return rest;
  };

  for (let index = 0; index < pages.length; index++) {
    const entries = byPage.get(index) ?? [];
    if (entries.length === 0) continue;
    const page = pages[index] as Page;
    const placed: Placed[] = [];
    const stubHeights = entries.map((entry) => {
      const stub = makeStub(entry.note);
      const height = heightIn(page, stub);
      stub.remove();
      return height;
    });
    const put = (element: HTMLElement, top: number, minTop: number) => {
      const height = heightIn(page, element);
      element.style.top = `${top}px`;
      placed.push({ element, top, height, minTop });
    };
    /** Moves placed notes up (never above their paragraph) so that they end by `maxBottom`. */
    const compactTo = (maxBottom: number): boolean => {
      const tops = placed.map((entry) => entry.top);
      let limit = maxBottom;
      for (let j = placed.length - 1; j >= 0; j--) {
        const entry = placed[j] as Placed;
        if ((tops[j] as number) + entry.height > limit) tops[j] = limit - entry.height;
        if ((tops[j] as number) < entry.minTop) return false;
        limit = (tops[j] as number) - GAP;
      }
      placed.forEach((entry, j) => {
        entry.top = tops[j] as number;
        entry.element.style.top = `${entry.top}px`;
      });
      return true;
    };

    // Once a note goes overleaf with its paragraph, the notes after it on this page (all in that
    // paragraph) go too, so that the numbers read in order from page to page.
    let isCarrying = false;
    entries.forEach((entry, i) => {
      const { note, anchorY, minTop } = entry;
      const continued = entry.passage ? continuations.get(entry.passage) : undefined;
      const nextIndex = continued ? pageIndexOf(continued) : -1;
      const carry = () => {
        note.remove();
        const carried = { note, anchorY: 0, minTop: 0, passage: continued ?? null };
        const own = (byPage.get(nextIndex) ?? []).filter((other) => !other.note.isSameNode(note));
        const before = own.filter((other) => Number(other.note.dataset.note) < Number(note.dataset.note));
        const after = own.filter((other) => Number(other.note.dataset.note) > Number(note.dataset.note));
        byPage.set(nextIndex, [...before, carried, ...after]);
        isCarrying = true;
      };
      if (isCarrying && nextIndex === index + 1) return carry();
      // Room for at least a pointer for every later note on this page.
      const reserve = stubHeights.slice(i + 1).reduce((sum, height) => sum + height + GAP, 0);
      const limit = H - reserve;
      const previous = placed[placed.length - 1];
      const prevBottom = previous ? previous.top + previous.height + GAP : 0;
      const height = heightIn(page, note);
      const top = Math.max(anchorY, prevBottom);
      if (top + height <= limit) return put(note, top, minTop);
      // Shift it, and the notes above, up within their paragraphs.
      const shifted = limit - height;
      if (shifted >= minTop && shifted >= 0 && compactTo(shifted - GAP)) return put(note, shifted, minTop);
      // Its paragraph goes on overleaf: the note goes to the top of that page's margin, before its own notes.
      if (nextIndex === index + 1) return carry();
      // Too tall: begin it here and continue it in the endnotes.
      const pointerHeight = 14;
      const rest =
        top + pointerHeight < limit ? splitBetweenComments(note, limit - top - pointerHeight) : null;
      if (rest) {
        note.append(pointerTo("continued in the endnotes", rest.id, "note-more"));
        endnotes.push({ number: noteNumber(note), element: rest, isContinuation: true });
        continuedInEndnotes.push(noteNumber(note));
        return put(note, top, minTop);
      }
      // Not even its first comment fits: a pointer here, the note in the endnotes.
      note.remove();
      endnotes.push({ number: noteNumber(note), element: note, isContinuation: false });
      movedToEndnotes.push(noteNumber(note));
      const stub = makeStub(note);
      const stubHeight = heightIn(page, stub);
      const stubTop = Math.min(top, limit - stubHeight);
      if (stubTop >= prevBottom || compactTo(stubTop - GAP)) return put(stub, Math.max(0, stubTop), 0);
      stub.remove();
    });
    for (const entry of placed) if (entry.top + entry.height > H + 1) overflowing.add(index + 1);
  }

  // ---- Endnotes: after everything else, in number order.
  if (endnotes.length > 0) {
    endnotes.sort((a, b) => a.number - b.number || Number(a.isContinuation) - Number(b.isContinuation));
    const heading = make("h2", "section-heading keep-with-next", "Endnotes");
    heading.id = "endnotes-heading";
    place({ element: heading });
    place({
      element: make(
        "p",
        "section-intro keep-with-next",
        "Notes, and the ends of threads, that were too long for the margin beside their passage.",
      ),
    });
    for (const endnote of endnotes) {
      const wrapper = make("div", "flow-note endnote");
      const origin = make("p", "endnote-origin");
      const anchor = document.getElementById(`passage-${endnote.number}`);
      const back = make(
        "a",
        "",
        anchor
          ? `Note ${endnote.number}${endnote.isContinuation ? ", continued" : ""} · passage on p. ${pageIndexOf(anchor) + 1}`
          : `Note ${endnote.number}`,
      ) as HTMLAnchorElement;
      back.href = `#passage-${endnote.number}`;
      origin.append(back);
      endnote.element.style.top = "";
      wrapper.append(origin, endnote.element);
      place({ element: wrapper });
    }
  }

  // ---- Page numbers in the pointers, now that every page is known.
  for (const { link, targetId } of pointers) {
    const target = document.getElementById(targetId);
    const index = target ? pageIndexOf(target) : -1;
    if (index >= 0) link.textContent = `${link.textContent ?? ""}, p. ${index + 1}`;
  }
  // A page whose text could not be split must not spill over the next one.
  for (const index of overflowing) {
    const page = pages[index - 1];
    if (page) {
      page.box.style.height = "auto";
      page.box.style.minHeight = `${H}px`;
    }
  }
  const fill = pages.map((page) => {
    const top = topOf(page);
    const bottomOf = (parent: HTMLElement) =>
      Math.max(0, ...Array.from(parent.children).map((child) => child.getBoundingClientRect().bottom - top));
    return {
      text: bottomOf(page.text),
      notes: bottomOf(page.margin),
      height: page.box.getBoundingClientRect().height,
    };
  });
  return {
    pages: pages.length,
    fill,
    movedToEndnotes,
    continuedInEndnotes,
    overflowingPages: [...overflowing].sort((a, b) => a - b),
  };
}

// ---------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------

/** Pages in a PDF as Chromium (Skia) writes it: one uncompressed `/Type /Page` dictionary each. */
function countPdfPages(pdf: Uint8Array): number {
  return (
    Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength)
      .toString("latin1")
      .match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0
  );
}

/** Running header and footer: the reading, the seminar, the export date, "Page X of Y". */
function headerFooterTemplates(data: ExportData) {
  const style =
    `font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 6.5pt; color: #6f685d;` +
    `width: 100%; padding: 0 ${PDF_PAGE.rightMm}mm 0 ${PDF_PAGE.leftMm}mm; display: flex;` +
    `justify-content: space-between; gap: 8mm; -webkit-print-color-adjust: exact;`;
  const clip = `white-space: nowrap; overflow: hidden; text-overflow: ellipsis;`;
  const title = escapeHtml(data.document.title);
  const seminar = escapeHtml(data.seminar.title);
  const snapshot = data.snapshot ? ` · snapshot “${escapeHtml(data.snapshot.name)}”` : "";
  return {
    headerTemplate:
      `<div style='${style} margin-top: 7mm;'>` +
      `<span style='${clip} font-style: italic;'>${title}</span>` +
      `<span style='${clip}'>${seminar}${snapshot}</span></div>`,
    footerTemplate:
      `<div style='${style} margin-bottom: 6mm;'>` +
      `<span style='${clip}'>Annotated copy · exported ${escapeHtml(formatLongDate(data.generatedAt))}</span>` +
      `<span>Page <span class='pageNumber'></span> of <span class='totalPages'></span></span></div>`,
  };
}

/** Renders the annotated copy to PDF; also reports what the layout did. */
export async function renderPdfExportWithReport(
  data: ExportData,
  origin: string,
): Promise<{ pdf: Uint8Array; report: PdfLayoutReport }> {
  const html = renderHtmlExport(data, origin, { forPdf: true });
  const browser = await acquire();
  try {
    // Our own markup only; still, no page script, no network, nothing kept between renders.
    const context = await browser.newContext({
      javaScriptEnabled: false,
      offline: true,
      viewport: { width: 794, height: 1123 },
    });
    try {
      context.setDefaultTimeout(RENDER_TIMEOUT_MS);
      await context.route("**/*", (route) => route.abort());
      const page = await context.newPage();
      await page.emulateMedia({ media: "print" });
      const mm = (value: number) => `${value}mm`;
      const layout = async (safetyPx: number) => {
        await page.setContent(html, { waitUntil: "load" });
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
        // Bundlers that keep function names (esbuild's keepNames, as tsx sets it) wrap
        // functions in a module-level __name(); give the page a no-op one, since
        // layoutPages is serialised without its module.
        await page.evaluate("globalThis.__name = globalThis.__name || ((target) => target)");
        return page.evaluate(layoutPages, {
          vars: {
            "--page-height": mm(PDF_PAGE.heightMm - PDF_PAGE.topMm - PDF_PAGE.bottomMm - 1),
            "--page-left": mm(PDF_PAGE.leftMm),
            "--page-right": mm(PDF_PAGE.rightMm),
            "--text-col": mm(PDF_PAGE.textMm),
            "--gutter-col": mm(PDF_PAGE.gutterMm),
            "--margin-col": mm(PDF_PAGE.notesMm),
          },
          noteGapPx: 9,
          safetyPx,
        });
      };
      const print = () =>
        page.pdf({
          format: "A4",
          printBackground: true,
          displayHeaderFooter: true,
          ...headerFooterTemplates(data),
          margin: { top: mm(PDF_PAGE.topMm), bottom: mm(PDF_PAGE.bottomMm), left: "0mm", right: "0mm" },
          preferCSSPageSize: false,
          outline: false,
          tagged: true,
        });
      let attempts = 1;
      let report = await layout(2);
      let pdf = await print();
      if (countPdfPages(pdf) !== report.pages) {
        attempts += 1;
        // Chromium paginated differently from what we measured (it has not, since margins
        // are counted): lay out again with a line's worth of room at every page's foot.
        report = await layout(24);
        pdf = await print();
      }
      return { pdf: new Uint8Array(pdf), report: { ...report, printedPages: countPdfPages(pdf), attempts } };
    } finally {
      await context.close();
    }
  } finally {
    release();
  }
}

/**
 * The annotated copy as a PDF (A4): the text with highlights and numbered
 * markers, the threads as numbered notes in the margin beside their
 * passages, long ones continued in endnotes; a running header with the
 * reading and the seminar, and "Page X of Y" in the footer.
 */
export async function renderPdfExport(data: ExportData, origin: string): Promise<Uint8Array> {
  return (await renderPdfExportWithReport(data, origin)).pdf;
}
