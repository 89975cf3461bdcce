/**
 * The shapes the in-page layout (layout-pages.ts) works with and reports.
 * Types only: that code runs inside Chromium and can import nothing else.
 */

/** What the layout did, for tests and logs. */
export type PdfLayoutReport = {
  /** Pages laid out. */
  pages: number;
  /** Pages Chromium printed (the same, unless its pagination disagreed with the layout twice). */
  printedPages?: number;
  /** Layouts made: 2 when the first one's pages did not match Chromium's. */
  attempts?: number;
  /** Batches each page printed, the laid-out page first (a second prints side by side with it from a copy). */
  batchesByPrinter?: number[];
  /** Note numbers set whole in the endnotes (a pointer stays in the margin). */
  movedToEndnotes: number[];
  /** Note numbers begun in the margin and continued in the endnotes. */
  continuedInEndnotes: number[];
  /** Blocks taller than a page that could not be split (they overflow their page). */
  overflowingPages: number[];
  /** How far down each page's text and notes reach, px, and the page box's height. */
  fill: { text: number; notes: number; height: number }[];
  /** Every font face of the copy was loaded when the layout began (measured in its own fonts). */
  wereFontsLoaded: boolean;
};

/** What render-pdf.ts passes in. */
export type LayoutConfig = {
  /** CSS custom properties for the page geometry. */
  vars: Record<string, string>;
  /** Space between two notes in the margin, px. */
  noteGapPx: number;
  /** Space kept free at the foot of every page, px (more when a print came out longer than laid out). */
  safetyPx: number;
  /** Work for about this long, then return how far it got (continueLayout goes on); unset: to the end. */
  stepMs?: number;
  /**
   * Measure every note in its page's margin before deciding where it goes (true), instead of
   * only those with room left above the later notes' pointers (unset or false). The same
   * pages either way; for tests.
   */
  measuresEveryNote?: boolean;
};

/** How far a layout has got: blocks of text set, pages whose notes are placed, endnotes set, or done with its report. */
export type LayoutStep = {
  phase: "text" | "notes" | "endnotes" | "done";
  /** Units of the phase done… */
  done: number;
  /** …of these. */
  total: number;
  /** Once done. */
  report: PdfLayoutReport | null;
};

/** Where a stepped layout keeps its way to go on, in the page between two evaluations. */
export type LayoutGlobal = { __marginaliaLayout: (stepMs: number) => LayoutStep };

/** One block of the text's flow, in reading order. */
export type FlowItem = { element: HTMLElement };
/** A page box: its text column and its margin column. */
export type Page = { box: HTMLElement; text: HTMLElement; margin: HTMLElement };
/** The pages, and what the text flow left for the notes to know. */
export type Book = {
  pages: Page[];
  /** The usable height of a page box, px. */
  height: number;
  /** Page numbers (1-based) whose text could not be split and overflows. */
  overflowing: Set<number>;
  /** A split block → its continuation on the next page. */
  continuations: Map<Element, HTMLElement>;
  /** Appends an empty page. */
  newPage: () => Page;
};
/** A note (or a piece of one) bound for the endnotes. */
export type Endnote = { number: number; element: HTMLElement; isContinuation: boolean };
/** What placing the notes left to do, and to report. */
export type Margins = {
  endnotes: Endnote[];
  movedToEndnotes: number[];
  continuedInEndnotes: number[];
  /** Links whose text gets the page number of their target once every page is known. */
  pointers: { link: HTMLAnchorElement; targetId: string }[];
};
/** A note waiting for its page's margin: where its passage starts, and how high it may move. */
export type Entry = { note: HTMLElement; anchorY: number; minTop: number; passage: Element | null };
/** A note (or pointer) set in a margin. */
export type Placed = { element: HTMLElement; top: number; height: number; minTop: number };
