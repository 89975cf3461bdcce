/**
 * The PDF's pagination, run inside Chromium (render-pdf.ts hands
 * {@link layoutPages} to `page.evaluate`; page scripts stay disabled).
 *
 * Chromium's own pagination cannot keep a margin note beside its passage, so
 * we paginate ourselves before printing: the text moves, block by block,
 * into fixed-size page boxes — paragraphs split at line boundaries, with no
 * single line left at either side of a break — then each note is set
 * absolutely in its page's margin column beside the line where its passage
 * starts. A note that does not fit in the space left on its page is cut
 * between two comments and continues in an "Endnotes" section at the end,
 * or, when not even its first comment fits, leaves a one-line pointer in the
 * margin and moves there whole. Numbers never change, and every pointer
 * names the page it points to.
 *
 * Playwright serialises the function's source, so everything it uses lives
 * inside it: its sections are the functions declared in its body, below the
 * few lines that call them in order. Nothing may refer to this module's
 * imports or other top-level names (types aside, which compile away).
 */

import type {
  Book,
  Endnote,
  Entry,
  FlowItem,
  LayoutConfig,
  LayoutGlobal,
  LayoutStep,
  Margins,
  Page,
  PdfLayoutReport,
  Placed,
} from "./layout-types";

/**
 * Paginates the annotated copy in the page (see the module comment) and
 * reports what it did. With `config.stepMs` it works for about that long and
 * returns how far it got; {@link continueLayout} goes on from there, so that
 * the server can report progress between steps of a long layout (the page
 * runs no script of its own, so nothing else could tell). Without, it runs to
 * the end at once.
 */
export function layoutPages(config: LayoutConfig): LayoutStep {
  const root = document.documentElement;
  for (const [name, value] of Object.entries(config.vars)) root.style.setProperty(name, value);
  const range = document.createRange();
  // The copy is laid out in its own fonts only if they are loaded before the first measurement.
  const wereFontsLoaded = Array.from(document.fonts).every((face) => face.status === "loaded");
  // Page boxes by their index (openBook fills it): finding an element's page is a walk up to its
  // box, not a scan of every page (10,000 notes × 778 pages in issue 12).
  const pageIndexByBox = new Map<Element, number>();

  const { flow, notes } = collectFlow();
  const book = openBook(config.safetyPx);
  const place = (item: FlowItem) => flowBlock(book, item);
  let flowed = 0;
  let noting: {
    margins: Margins;
    byPage: Map<number, Entry[]>;
    /** Notes carried overleaf with their paragraph, by the page they go to, in number order. */
    carried: Map<number, Entry[]>;
    nextPage: number;
    /** The text's pages, whose margins get notes (the endnotes' pages come after them). */
    pages: number;
  } | null = null;
  /** Endnotes flowed; -1 before their heading is. */
  let endnoted = -1;
  let report: PdfLayoutReport | null = null;

  /** Lays out until `budgetMs` has passed (checked between blocks and pages) or everything is done. */
  const advance = (budgetMs: number): LayoutStep => {
    const deadline = performance.now() + budgetMs;
    // 1. The text into pages, block by block.
    while (flowed < flow.length) {
      place(flow[flowed] as FlowItem);
      flowed += 1;
      if (performance.now() > deadline)
        return { phase: "text", done: flowed, total: flow.length, report: null };
    }
    // 2. The notes into the margins, page by page (a page's notes may carry to the next).
    if (!noting) {
      const margins: Margins = { endnotes: [], movedToEndnotes: [], continuedInEndnotes: [], pointers: [] };
      noting = {
        margins,
        byPage: notesByPage(notes, margins),
        carried: new Map(),
        nextPage: 0,
        pages: book.pages.length,
      };
    }
    while (noting.nextPage < noting.pages) {
      const index = noting.nextPage;
      noting.nextPage += 1;
      const entries = inNumberOrder(noting.byPage.get(index) ?? [], noting.carried.get(index) ?? []);
      if (entries.length > 0)
        placePageNotes(book, index, entries, noting.carried, noting.margins, config.noteGapPx);
      if (performance.now() > deadline)
        return { phase: "notes", done: noting.nextPage, total: noting.pages, report: null };
    }
    // 3. The endnotes, one by one, then the page numbers in every pointer.
    const { endnotes } = noting.margins;
    if (endnoted < 0) {
      beginEndnotes(book, endnotes);
      endnoted = 0;
    }
    while (endnoted < endnotes.length) {
      place({ element: endnoteWrapper(endnotes[endnoted] as Endnote) });
      endnoted += 1;
      if (performance.now() > deadline)
        return { phase: "endnotes", done: endnoted, total: endnotes.length, report: null };
    }
    report ??= finish(book, noting.margins);
    return { phase: "done", done: 1, total: 1, report };
  };
  if (config.stepMs === undefined) return advance(Infinity);
  (globalThis as unknown as LayoutGlobal).__marginaliaLayout = advance;
  return advance(config.stepMs);

  function make(tag: string, className: string, text?: string): HTMLElement {
    const element = document.createElement(tag);
    element.className = className;
    if (text !== undefined) element.textContent = text;
    return element;
  }

  function topOf(page: Page): number {
    return page.box.getBoundingClientRect().top;
  }

  function pageIndexOf(element: Element): number {
    const box = element.closest(".page");
    return box ? (pageIndexByBox.get(box) ?? -1) : -1;
  }

  /** The blocks of the text in reading order, each passage's notes taken out of it. */
  function collectFlow(): { flow: FlowItem[]; notes: HTMLElement[] } {
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
    return { flow, notes };
  }

  /**
   * The page boxes, which take the place of <main class="text"> and its typography; one page to
   * begin. The copy's sheet they are filled from is never shown (pdf-pages.css).
   */
  function openBook(safetyPx: number): Book {
    const container = make("div", "pages text");
    document.body.append(container);
    const pages: Page[] = [];
    const newPage = (): Page => {
      const page = {
        box: make("div", "page"),
        text: make("div", "page-text"),
        margin: make("div", "page-margin"),
      };
      page.box.append(page.text, page.margin);
      container.append(page.box);
      pageIndexByBox.set(page.box, pages.length);
      pages.push(page);
      return page;
    };
    const first = newPage();
    return {
      pages,
      height: first.box.getBoundingClientRect().height - safetyPx,
      overflowing: new Set(),
      continuations: new Map(),
      newPage,
    };
  }

  function charRect(node: Text, offset: number): DOMRect | null {
    range.setStart(node, offset);
    range.setEnd(node, offset + 1);
    const rect = range.getBoundingClientRect();
    return rect.width === 0 && rect.height === 0 ? null : rect;
  }

  function textNodes(element: HTMLElement): Text[] {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    const nodes: Text[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node as Text);
    return nodes;
  }

  function lineHeightOf(node: Node): number {
    const style = getComputedStyle(node.parentElement ?? document.body);
    const value = parseFloat(style.lineHeight);
    return Number.isFinite(value) ? value : parseFloat(style.fontSize) * 1.4;
  }

  /** Where a break before the first line that ends below `limitY` goes: { node, offset }, or null when none. */
  function findBreak(
    element: HTMLElement,
    limitY: number,
  ): { node: Text; offset: number; lineTop: number } | null {
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
  }

  /**
   * Cuts `element` before the first line ending below `limitY` and returns
   * the rest (a shallow clone holding everything after the cut), or null
   * when it cannot be cut there without leaving a single line on either side.
   */
  function splitAtLine(element: HTMLElement, limitY: number): HTMLElement | null {
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
  }

  /** Splits `element` at a point: the original keeps what is before, the returned clone holds the rest. */
  function cutAt(element: HTMLElement, node: Node, offset: number | "before"): HTMLElement {
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
  }

  /** Appends a block to the last page, splitting it (or moving it) onto new pages while it runs past the foot. */
  function flowBlock(target: Book, item: FlowItem): void {
    const H = target.height;
    // The page's text column is a flow root, so its height includes the last block's bottom
    // margin: a margin that reached past the page would make Chromium start a page of its own.
    const bottomOnPage = (element: HTMLElement, page: Page) =>
      Math.max(element.getBoundingClientRect().bottom, page.text.getBoundingClientRect().bottom) -
      topOf(page);
    const isSplittable = (element: HTMLElement) =>
      element.classList.contains("passage") || element.classList.contains("flow-note");
    const KEEP_WITH_NEXT_PX = 3 * 16;

    let element = item.element;
    let page = target.pages[target.pages.length - 1] as Page;
    page.text.append(element);
    if (element.classList.contains("keep-with-next") && bottomOnPage(element, page) + KEEP_WITH_NEXT_PX > H) {
      // A heading (or an introduction) goes with what follows it; take the previous keep-with-next along.
      const previous = element.previousElementSibling as HTMLElement | null;
      page = target.newPage();
      if (previous?.classList.contains("keep-with-next")) page.text.append(previous);
      page.text.append(element);
      return;
    }
    for (let guard = 0; guard < 500 && bottomOnPage(element, page) > H; guard++) {
      const isFirst = element === page.text.firstElementChild;
      const rest = isSplittable(element) ? splitAtLine(element, topOf(page) + H) : null;
      if (rest) {
        target.continuations.set(element, rest);
        page = target.newPage();
        page.text.append(rest);
        element = rest;
        continue;
      }
      if (isFirst) {
        target.overflowing.add(target.pages.length);
        break;
      }
      page = target.newPage();
      page.text.append(element);
    }
  }

  function noteNumber(note: HTMLElement): number {
    return Number(note.dataset.note);
  }

  /** Measures an element in a page's margin column (appending it there first). */
  function heightIn(page: Page, element: HTMLElement): number {
    if (element.parentElement !== page.margin) page.margin.append(element);
    return element.getBoundingClientRect().height;
  }

  function pointerTo(margins: Margins, text: string, targetId: string, className: string): HTMLElement {
    const paragraph = make("p", className);
    const link = make("a", "to-endnote", text) as HTMLAnchorElement;
    link.href = `#${targetId}`;
    paragraph.append(link);
    margins.pointers.push({ link, targetId });
    return paragraph;
  }

  /**
   * The one-line pointer a note leaves in the margin when it moves to the
   * endnotes whole; its link is numbered later when `margins` is given.
   */
  function makeStub(note: HTMLElement, margins?: Margins): HTMLElement {
    const stub = make("div", "note-stub");
    const number = make("a", "note-num", String(noteNumber(note))) as HTMLAnchorElement;
    number.href = `#thread-${noteNumber(note)}`;
    const kind = note.querySelector(".note-kind")?.textContent ?? "Note";
    const author = note.querySelector(".author")?.textContent;
    stub.append(number, `${kind}${author ? ` · ${author}` : ""} — `);
    const link = make("a", "to-endnote", "in the endnotes") as HTMLAnchorElement;
    link.href = `#thread-${noteNumber(note)}`;
    margins?.pointers.push({ link, targetId: `thread-${noteNumber(note)}` });
    stub.append(link);
    return stub;
  }

  /** Cuts a note before the last comment that still starts within `available` px; the rest, or null. */
  function splitBetweenComments(note: HTMLElement, available: number): HTMLElement | null {
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
  }

  /**
   * A page's own notes and those carried onto it, merged by number (both lists are in number
   * order): the order the page's margin reads in.
   */
  function inNumberOrder(own: Entry[], carried: Entry[]): Entry[] {
    if (carried.length === 0) return own;
    const merged: Entry[] = [];
    let i = 0;
    let j = 0;
    while (i < own.length || j < carried.length) {
      const next =
        j >= carried.length ||
        (i < own.length && noteNumber((own[i] as Entry).note) < noteNumber((carried[j] as Entry).note))
          ? own[i++]
          : carried[j++];
      merged.push(next as Entry);
    }
    return merged;
  }

  /** Each note under the page its passage starts on, in order; a note with no passage goes to the endnotes. */
  function notesByPage(notes: HTMLElement[], margins: Margins): Map<number, Entry[]> {
    const byPage = new Map<number, Entry[]>();
    for (const note of notes) {
      const anchor = document.getElementById(`passage-${noteNumber(note)}`);
      const index = anchor ? pageIndexOf(anchor) : -1;
      if (!anchor || index < 0) {
        // Cannot happen for an anchored thread; keep the note anyway.
        margins.endnotes.push({ number: noteNumber(note), element: note, isContinuation: false });
        margins.movedToEndnotes.push(noteNumber(note));
        continue;
      }
      const pageTop = topOf(book.pages[index] as Page);
      const anchorY = Math.max(0, anchor.getBoundingClientRect().top - pageTop - 1);
      const passage = anchor.closest(".passage");
      const minTop = passage ? Math.max(0, passage.getBoundingClientRect().top - pageTop) : 0;
      const list = byPage.get(index) ?? [];
      list.push({ note, anchorY, minTop: Math.min(minTop, anchorY), passage });
      byPage.set(index, list);
    }
    return byPage;
  }

  /**
   * Sets one page's notes beside their passages, top to bottom: each as high
   * as its passage, shifting the ones above up when it does not fit; carried
   * overleaf with its paragraph; begun here and continued in the endnotes;
   * or moved there whole, leaving a pointer.
   */
  function placePageNotes(
    target: Book,
    index: number,
    entries: Entry[],
    carriedTo: Map<number, Entry[]>,
    margins: Margins,
    gap: number,
  ): void {
    const H = target.height;
    const page = target.pages[index] as Page;
    const placed: Placed[] = [];
    // Every note's pointer stub is appended to the margin at once and measured in one pass
    // (its height does not depend on where it sits: the margin's notes are absolutely placed),
    // instead of one forced layout per stub. Notes themselves are measured one by one, only
    // when their turn comes: most of a page's notes in a dense discussion are carried on
    // without being measured, and measuring them all up front cost more than it saved.
    const stubs = entries.map((entry) => makeStub(entry.note));
    page.margin.append(...stubs);
    const stubHeights = stubs.map((stub) => stub.getBoundingClientRect().height);
    // Room to keep for a pointer for every note after the i-th.
    const reserveAfter = new Array<number>(entries.length).fill(0);
    for (let i = entries.length - 2; i >= 0; i--)
      reserveAfter[i] = (reserveAfter[i + 1] as number) + (stubHeights[i + 1] as number) + gap;
    for (const stub of stubs) stub.remove();
    /** Places an element; `height` when it was measured as it is now, else it is measured. */
    const put = (element: HTMLElement, top: number, minTop: number, height = heightIn(page, element)) => {
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
        limit = (tops[j] as number) - gap;
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
      const continued = entry.passage ? target.continuations.get(entry.passage) : undefined;
      const nextIndex = continued ? pageIndexOf(continued) : -1;
      const carry = () => {
        note.remove();
        // Carried notes come in number order, and the page they go to merges them with its own
        // (inNumberOrder). Rebuilding that page's whole list per carried note cost 11 s at
        // 10,000 threads, where a page's margin gets thousands of notes.
        const list = carriedTo.get(nextIndex) ?? [];
        list.push({ note, anchorY: 0, minTop: 0, passage: continued ?? null });
        carriedTo.set(nextIndex, list);
        isCarrying = true;
      };
      if (isCarrying && nextIndex === index + 1) return carry();
      // Room for at least a pointer for every later note on this page.
      const limit = H - (reserveAfter[i] as number);
      const previous = placed[placed.length - 1];
      const prevBottom = previous ? previous.top + previous.height + gap : 0;
      const top = Math.max(anchorY, prevBottom);
      // Where the later notes' pointers leave no room (most of a dense page's notes), this note
      // can neither fit, nor shift up, nor begin here: it is not measured.
      if (limit > 0 || config.measuresEveryNote) {
        const height = heightIn(page, note);
        if (top + height <= limit) return put(note, top, minTop, height);
        // Shift it, and the notes above, up within their paragraphs.
        const shifted = limit - height;
        if (shifted >= minTop && shifted >= 0 && compactTo(shifted - gap))
          return put(note, shifted, minTop, height);
      }
      // Its paragraph goes on overleaf: the note goes to the top of that page's margin, before its own notes.
      if (nextIndex === index + 1) return carry();
      // Too tall: begin it here and continue it in the endnotes.
      const pointerHeight = 14;
      const rest =
        top + pointerHeight < limit ? splitBetweenComments(note, limit - top - pointerHeight) : null;
      if (rest) {
        note.append(pointerTo(margins, "continued in the endnotes", rest.id, "note-more"));
        margins.endnotes.push({ number: noteNumber(note), element: rest, isContinuation: true });
        margins.continuedInEndnotes.push(noteNumber(note));
        return put(note, top, minTop);
      }
      // Not even its first comment fits: a pointer here, the note in the endnotes.
      note.remove();
      margins.endnotes.push({ number: noteNumber(note), element: note, isContinuation: false });
      margins.movedToEndnotes.push(noteNumber(note));
      const stub = makeStub(note, margins);
      // As measured above: the same pointer, now with its link counted.
      page.margin.append(stub);
      const stubHeight = stubHeights[i] as number;
      const stubTop = Math.min(top, limit - stubHeight);
      if (stubTop >= prevBottom || compactTo(stubTop - gap))
        return put(stub, Math.max(0, stubTop), 0, stubHeight);
      stub.remove();
    });
    for (const entry of placed) if (entry.top + entry.height > H + 1) target.overflowing.add(index + 1);
  }

  /**
   * The endnotes section after everything else: its heading, and the endnotes in number order
   * (sorted here; `advance` flows them one by one as text blocks are, each measured on its
   * page, split or moved to a new page, with a link back to its passage). A page box is a
   * relayout boundary (pdf-pages.css), so measuring one lays out that page alone; at 10,000
   * threads that made the notes stage 8.2–8.5 s, less than laying the endnotes out together
   * first to append most without measuring (8.8–9.0 s).
   */
  function beginEndnotes(target: Book, endnotes: Endnote[]): void {
    if (endnotes.length === 0) return;
    endnotes.sort((a, b) => a.number - b.number || Number(a.isContinuation) - Number(b.isContinuation));
    const heading = make("h2", "section-heading keep-with-next", "Endnotes");
    heading.id = "endnotes-heading";
    flowBlock(target, { element: heading });
    flowBlock(target, {
      element: make(
        "p",
        "section-intro keep-with-next",
        "Notes, and the ends of threads, that were too long for the margin beside their passage.",
      ),
    });
  }

  function endnoteWrapper(endnote: Endnote): HTMLElement {
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
    return wrapper;
  }

  /** Page numbers in the pointers, now that every page is known; overflowing pages grown; the report. */
  function finish(target: Book, margins: Margins): PdfLayoutReport {
    const H = target.height;
    for (const { link, targetId } of margins.pointers) {
      const element = document.getElementById(targetId);
      const index = element ? pageIndexOf(element) : -1;
      if (index >= 0) link.textContent = `${link.textContent ?? ""}, p. ${index + 1}`;
    }
    // A page whose text could not be split must not spill over the next one.
    for (const index of target.overflowing) {
      const page = target.pages[index - 1];
      if (page) {
        page.box.style.height = "auto";
        page.box.style.minHeight = `${H}px`;
        // Its size is its contents' now (pdf-pages.css gives a page the size it is set to).
        page.box.style.contain = "none";
      }
    }
    const fill = target.pages.map((page) => {
      const top = topOf(page);
      const bottomOf = (parent: HTMLElement) =>
        Math.max(
          0,
          ...Array.from(parent.children).map((child) => child.getBoundingClientRect().bottom - top),
        );
      return {
        text: bottomOf(page.text),
        notes: bottomOf(page.margin),
        height: page.box.getBoundingClientRect().height,
      };
    });
    return {
      pages: target.pages.length,
      fill,
      movedToEndnotes: margins.movedToEndnotes,
      continuedInEndnotes: margins.continuedInEndnotes,
      overflowingPages: [...target.overflowing].sort((a, b) => a - b),
      wereFontsLoaded,
    };
  }
}

/** Goes on with the layout {@link layoutPages} began with a `stepMs`, for about `stepMs` more. */
export function continueLayout(stepMs: number): LayoutStep {
  return (globalThis as unknown as LayoutGlobal).__marginaliaLayout(stepMs);
}
