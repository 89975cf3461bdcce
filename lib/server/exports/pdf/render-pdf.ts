/**
 * The annotated copy as a PDF: the HTML export's markup (its `forPdf`
 * variant), laid out into A4 pages inside headless Chromium by
 * {@link layoutPages}, then printed a batch of pages at a time
 * (print-sheets.ts), by two pages side by side where there is a core for each
 * (the second given the laid-out copy), each batch written to a temporary file and the parts
 * joined with pdfunite (join-pdfs.ts); the file is streamed from disk. Since
 * each page box is a little shorter than its sheet, Chromium's pages are
 * exactly our pages; when they are not, the layout runs once more with more
 * room at every page's foot. docs/adr/0028-pdf-printed-in-batches.md.
 */
import { open, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page as BrowserPage } from "playwright-core";
import { formatLongDay } from "@/lib/shared/dates";
import { AppError, isAppError } from "@/lib/shared/errors";
import { exportProgress, type ExportProgress } from "@/lib/shared/exports/export-progress";
import { renderHtmlExport } from "../html/document";
import { escapeHtml } from "../html/markup";
import type { ExportData } from "../load-export-data";
import { acquire, release, RENDER_TIMEOUT_MS } from "./browser-pool";
import { joinPdfs } from "./join-pdfs";
import { readDestinations, writeDestinations, type PdfDestination } from "./pdf-destinations";
import { continueLayout, layoutPages } from "./layout-pages";
import type { PdfLayoutReport } from "./layout-types";
import { preparePrintSheets, showPrintBatch, type PrintSheetsConfig } from "./print-sheets";

export { closePdfBrowser, findChromiumExecutable } from "./browser-pool";
export type { PdfLayoutReport } from "./layout-types";

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

/** Pages in a PDF as Chromium (Skia) writes it: one uncompressed `/Type /Page` dictionary each. */
function countPdfPages(pdf: Uint8Array): number {
  return (
    Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength)
      .toString("latin1")
      .match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0
  );
}

/** Running header and footer of every sheet: the reading, the seminar, the export date ("Page X of Y" is added per sheet). */
function sheetConfig(data: ExportData): PrintSheetsConfig {
  const snapshot = data.snapshot ? ` · snapshot “${escapeHtml(data.snapshot.name)}”` : "";
  return {
    headerHtml:
      `<span>${escapeHtml(data.document.title)}</span>` +
      `<span>${escapeHtml(data.seminar.title)}${snapshot}</span>`,
    footerHtml: `<span>Annotated copy · exported ${escapeHtml(formatLongDay(data.generatedAt))}</span>`,
  };
}

/**
 * Pages printed at once. Each batch is one `page.pdf` of that many sheets (the
 * rest hidden), so Chromium lays out and paints a batch, not the whole copy,
 * and the server holds one batch's bytes at a time.
 */
export const PDF_BATCH_PAGES = 40;

/**
 * Pages of Chromium printing batches side by side. Printing keeps one renderer busy
 * (~16 ms a page), so a copy of two batches or more is also printed from a second page
 * (a renderer of its own) given the laid-out copy, where the machine has a second core.
 */
export const PDF_PRINTERS = Math.min(2, availableParallelism());

/** Laying out a step at a time, report progress about this often. */
const LAYOUT_STEP_MS = 400;

/** How to render: for tests and the bench; the defaults serve the export. */
export type PdfRenderOptions = {
  /** Lay out in steps of about this long when progress is reported (default {@link LAYOUT_STEP_MS}). */
  layoutStepMs?: number;
  /** Pages per printed batch (default {@link PDF_BATCH_PAGES}). */
  batchPages?: number;
  /** Pages printing batches side by side (default {@link PDF_PRINTERS}). */
  printers?: number;
  /** Measure every note in the margin, room or not (tests compare; default only those with room). */
  measuresEveryNote?: boolean;
  /** Where the batches and the joined file are written (a directory of their own is made in it; default the system's). */
  tempRoot?: string;
  /** Runs before each batch prints (tests make a batch fail with it). */
  beforeBatch?: (batch: { from: number; to: number; total: number }) => Promise<void>;
};

/** The rendered PDF on disk, to stream and then dispose of. */
export type PdfFile = {
  /** The joined file. */
  path: string;
  /** Its length. */
  bytes: number;
  /** What the layout did. */
  report: PdfLayoutReport;
  /** Removes the file and its directory (idempotent). */
  dispose: () => Promise<void>;
};

/**
 * Renders the annotated copy to a PDF file; also reports what the layout did.
 * With `onProgress`, the layout runs in steps and each step's progress is
 * reported (setting the text, flowing it into pages, placing the notes), then
 * every printed batch (pages printed of pages laid out); the pages come out
 * the same either way. On any failure nothing is left on disk and the error
 * says which pages could not be printed.
 */
export async function renderPdfExportToFile(
  data: ExportData,
  origin: string,
  onProgress?: (progress: ExportProgress) => void,
  {
    layoutStepMs = LAYOUT_STEP_MS,
    batchPages = PDF_BATCH_PAGES,
    printers = PDF_PRINTERS,
    tempRoot = tmpdir(),
    beforeBatch,
    measuresEveryNote,
  }: PdfRenderOptions = {},
): Promise<PdfFile> {
  const html = renderHtmlExport(data, origin, { forPdf: true });
  const dir = await mkdtemp(path.join(tempRoot, "marginalia-pdf-"));
  const dispose = () => rm(dir, { recursive: true, force: true });
  const browser = await acquire().catch(async (error: unknown) => {
    await dispose();
    throw error;
  });
  try {
    const { page, close } = await openRenderPage(browser);
    try {
      const mm = (value: number) => `${value}mm`;
      const layout = async (safetyPx: number, isReported: boolean): Promise<PdfLayoutReport> => {
        if (isReported) onProgress?.(exportProgress("setting"));
        await page.setContent(html, { waitUntil: "load" });
        // The copy's sheet is hidden until the layout moves its blocks into pages (pdf-pages.css),
        // so nothing has asked for its fonts yet: load every face now, before anything is measured.
        await loadFonts(page);
        // Bundlers that keep function names (esbuild's keepNames, as tsx sets it) wrap
        // functions in a module-level __name(); give the page a no-op one, since
        // layoutPages is serialised without its module.
        await page.evaluate("globalThis.__name = globalThis.__name || ((target) => target)");
        let step = await page.evaluate(layoutPages, {
          vars: {
            "--page-height": mm(PDF_PAGE.heightMm - PDF_PAGE.topMm - PDF_PAGE.bottomMm - 1),
            "--page-left": mm(PDF_PAGE.leftMm),
            "--page-right": mm(PDF_PAGE.rightMm),
            "--page-top": mm(PDF_PAGE.topMm),
            "--paper-height": mm(PDF_PAGE.heightMm),
            "--text-col": mm(PDF_PAGE.textMm),
            "--gutter-col": mm(PDF_PAGE.gutterMm),
            "--margin-col": mm(PDF_PAGE.notesMm),
          },
          noteGapPx: 9,
          safetyPx,
          stepMs: isReported && onProgress ? layoutStepMs : undefined,
          measuresEveryNote,
        });
        while (!step.report) {
          if (isReported && step.phase !== "done")
            onProgress?.(exportProgress(step.phase, step.done, step.total));
          step = await page.evaluate(continueLayout, layoutStepMs);
        }
        return step.report;
      };
      const print = (attempt: number, isReported: boolean) =>
        printInBatches(page, {
          config: sheetConfig(data),
          batchPages,
          printers,
          output: path.join(dir, `annotated-copy-${attempt}.pdf`),
          dir,
          beforeBatch,
          onPrinted: isReported
            ? (done, total) => onProgress?.(exportProgress("printing", done, total))
            : undefined,
        });
      let attempts = 1;
      let report = await layout(2, true);
      let printed = await print(attempts, true);
      if (!printed.isAsLaidOut) {
        attempts += 1;
        // Chromium paginated differently from what we measured (it has not, since margins
        // are counted): lay out again with a line's worth of room at every page's foot.
        await rm(printed.path, { force: true });
        report = await layout(24, false);
        printed = await print(attempts, false);
      }
      return {
        path: printed.path,
        bytes: printed.bytes,
        report: {
          ...report,
          printedPages: printed.pages,
          attempts,
          batchesByPrinter: printed.batchesByPrinter,
        },
        dispose,
      };
    } finally {
      await close();
    }
  } catch (error) {
    await dispose();
    throw error;
  } finally {
    release();
  }
}

/**
 * A page of its own context to render in (a renderer process of its own): our own markup
 * only, yet no page script, no network, nothing kept between renders; print media.
 * `close` closes the context, and never throws.
 */
async function openRenderPage(browser: Browser): Promise<{ page: BrowserPage; close: () => Promise<void> }> {
  const context = await browser.newContext({
    javaScriptEnabled: false,
    offline: true,
    viewport: { width: 794, height: 1123 },
  });
  // A browser that went away mid-render has closed the context already; the render's error stands.
  const close = () => context.close().catch(() => undefined);
  try {
    context.setDefaultTimeout(RENDER_TIMEOUT_MS);
    await context.route("**/*", (route) => route.abort());
    const page = await context.newPage();
    await page.emulateMedia({ media: "print" });
    return { page, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Loads every font face of the page's copy (some may not be asked for yet). */
async function loadFonts(page: BrowserPage): Promise<void> {
  await page.evaluate(() =>
    Promise.all(Array.from(document.fonts, (face) => face.load()))
      .then(() => document.fonts.ready)
      .then(() => undefined),
  );
}

/** A batch as printed: its file, its pages, and its links' destinations, page counted within it. */
type PrintedBatch = { part: string; pages: number; destinations: PdfDestination[] };

/**
 * Prints the laid-out copy `batchPages` sheets at a time into files in `dir`,
 * then joins them into `output` (one batch is renamed, not joined, and keeps
 * its tags). With `printers` above one and two batches or more, a second page
 * is given the laid-out copy (its markup, serialised once the layout is done)
 * and the pages take the batches in turn as each finishes one; the parts are
 * joined in page order. Only the batches being printed are in memory.
 */
async function printInBatches(
  page: BrowserPage,
  {
    config,
    batchPages,
    printers,
    output,
    dir,
    beforeBatch,
    onPrinted,
  }: {
    config: PrintSheetsConfig;
    batchPages: number;
    printers: number;
    output: string;
    dir: string;
    beforeBatch?: PdfRenderOptions["beforeBatch"];
    onPrinted?: (done: number, total: number) => void;
  },
): Promise<{ path: string; bytes: number; pages: number; isAsLaidOut: boolean; batchesByPrinter: number[] }> {
  const total = await page.evaluate(preparePrintSheets, config);
  const size = Math.max(1, Math.floor(batchPages));
  const batches: { index: number; from: number; to: number }[] = [];
  for (let from = 0; from < total; from += size)
    batches.push({ index: batches.length, from, to: Math.min(total, from + size) });
  const isOneBatch = batches.length === 1;
  const printed: PrintedBatch[] = [];
  let next = 0;
  let pagesPrinted = 0;
  /** Errors of failed batches, the first to fail first: once one fails, no page takes another. */
  const failures: Error[] = [];

  const printBatch = async (printer: BrowserPage, { index, from, to }: (typeof batches)[number]) => {
    await beforeBatch?.({ from, to, total });
    try {
      await printer.evaluate(showPrintBatch, { from, to });
      const pdf = await printer.pdf({
        format: "A4",
        printBackground: true,
        displayHeaderFooter: false,
        margin: { top: "0mm", bottom: "0mm", left: "0mm", right: "0mm" },
        preferCSSPageSize: false,
        outline: false,
        // pdfunite drops the structure tree when it joins, so parts to be joined are printed
        // untagged (faster, a third of the size); a copy printed in one piece keeps its tags.
        tagged: isOneBatch,
      });
      const part = path.join(dir, `part-${String(index).padStart(5, "0")}.pdf`);
      await writeFile(part, pdf);
      printed[index] = {
        part,
        pages: countPdfPages(pdf),
        // Where each link leads: pdfunite drops them (pdf-destinations.ts).
        destinations: isOneBatch ? [] : await readDestinations(pdf),
      };
    } catch (error) {
      if (isAppError(error)) throw error;
      throw new AppError(
        "unavailable",
        `Printing pages ${from + 1}–${to} of ${total} of the PDF failed; nothing was saved. Try again. (${firstLine(error)})`,
      );
    }
    pagesPrinted += to - from;
    onPrinted?.(pagesPrinted, total);
  };
  const batchesByPrinter: number[] = [];
  /** Prints the next batch not yet taken, until none is left or one has failed. */
  const printAll = async (printer: BrowserPage) => {
    const slot = batchesByPrinter.push(0) - 1;
    while (failures.length === 0 && next < batches.length) {
      const batch = batches[next] as (typeof batches)[number];
      next += 1;
      try {
        await printBatch(printer, batch);
        batchesByPrinter[slot] = (batchesByPrinter[slot] as number) + 1;
      } catch (error) {
        failures.push(error instanceof Error ? error : new Error(String(error)));
      }
    }
  };
  /** The second printer: a page of its own given the laid-out copy; should it fail to open, the first prints alone. */
  const printFromCopy = async (browser: Browser, copy: string) => {
    let second: Awaited<ReturnType<typeof openRenderPage>> | null = null;
    try {
      second = await openRenderPage(browser);
      await second.page.setContent(copy, { waitUntil: "load" });
      await loadFonts(second.page);
    } catch (error) {
      await second?.close();
      if (failures.length === 0)
        console.warn(
          `[export] the PDF is printed by one page: a second could not open the copy (${firstLine(error)})`,
        );
      return;
    }
    try {
      await printAll(second.page);
    } finally {
      await second.close();
    }
  };

  onPrinted?.(0, total);
  const browser = page.context().browser();
  const copy =
    printers > 1 && batches.length > 1 && browser
      ? await page.evaluate(() => `<!DOCTYPE html>${document.documentElement.outerHTML}`)
      : null;
  await Promise.all([printAll(page), browser && copy !== null ? printFromCopy(browser, copy) : null]);
  if (failures[0]) throw failures[0];

  let pages = 0;
  const destinations: PdfDestination[] = [];
  for (const batch of printed) {
    for (const destination of batch.destinations)
      destinations.push({ ...destination, page: destination.page + pages });
    pages += batch.pages;
  }
  const isAsLaidOut = batches.every(({ index, from, to }) => printed[index]?.pages === to - from);
  const parts = printed.map((batch) => batch.part);
  if (parts.length === 1) await rename(parts[0] as string, output);
  else {
    await joinPdfs(parts, output);
    await Promise.all(parts.map((part) => rm(part, { force: true })));
    if (!(await writeDestinations(output, destinations)))
      console.warn("[export] the joined PDF was not as pdfunite writes it: its internal links lead nowhere");
  }
  const handle = await open(output, "r");
  try {
    return { path: output, bytes: (await handle.stat()).size, pages, isAsLaidOut, batchesByPrinter };
  } finally {
    await handle.close();
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}

/** Bytes read from the file per pull of the download stream. */
const STREAM_CHUNK_BYTES = 256 * 1024;

/**
 * The file as a byte stream, read a chunk per pull (a slow reader holds the
 * rest on disk); `onEnd` runs once when it is read to the end, fails or is
 * cancelled.
 */
export function streamFile(filePath: string, onEnd: () => Promise<void>): ReadableStream<Uint8Array> {
  let handle: Awaited<ReturnType<typeof open>> | null = null;
  let isEnded = false;
  const end = async () => {
    if (isEnded) return;
    isEnded = true;
    await handle?.close().catch(() => undefined);
    await onEnd();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        handle ??= await open(filePath, "r");
        if (isEnded) {
          // Cancelled while the file was being opened.
          await handle.close().catch(() => undefined);
          return;
        }
        const buffer = new Uint8Array(STREAM_CHUNK_BYTES);
        const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, null);
        if (bytesRead === 0) {
          await end();
          controller.close();
          return;
        }
        controller.enqueue(buffer.subarray(0, bytesRead));
      } catch (error) {
        await end();
        controller.error(error);
      }
    },
    async cancel() {
      await end();
    },
  });
}

/**
 * Renders the annotated copy to PDF bytes in memory, with the layout's
 * report: for tests and the bench, which read the file back; the export
 * streams it from disk ({@link renderPdfExport}).
 */
export async function renderPdfExportWithReport(
  data: ExportData,
  origin: string,
  onProgress?: (progress: ExportProgress) => void,
  options: PdfRenderOptions = {},
): Promise<{ pdf: Uint8Array; report: PdfLayoutReport }> {
  const file = await renderPdfExportToFile(data, origin, onProgress, options);
  try {
    return { pdf: new Uint8Array(await readFile(file.path)), report: file.report };
  } finally {
    await file.dispose();
  }
}

/**
 * The annotated copy as a PDF (A4): the text with highlights and numbered
 * markers, the threads as numbered notes in the margin beside their
 * passages, long ones continued in endnotes; a running header with the
 * reading and the seminar, and "Page X of Y" in the footer. Streamed from a
 * temporary file, which goes when the stream ends or is cancelled.
 */
export async function renderPdfExport(
  data: ExportData,
  origin: string,
  onProgress?: (progress: ExportProgress) => void,
  options: PdfRenderOptions = {},
): Promise<{ body: ReadableStream<Uint8Array>; bytes: number }> {
  const file = await renderPdfExportToFile(data, origin, onProgress, options);
  return { body: streamFile(file.path, file.dispose), bytes: file.bytes };
}
