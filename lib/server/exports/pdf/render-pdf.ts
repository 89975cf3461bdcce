/**
 * The annotated copy as a PDF: the HTML export's markup (its `forPdf`
 * variant), laid out into A4 pages inside headless Chromium by
 * {@link layoutPages} and printed. Since each page box is a little shorter
 * than the printable area, Chromium's pages are exactly our pages; when they
 * are not, the layout runs once more with more room at every page's foot.
 */
import { formatLongDay } from "@/lib/shared/dates";
import { exportProgress, type ExportProgress } from "@/lib/shared/exports/export-progress";
import { renderHtmlExport } from "../html/document";
import { escapeHtml } from "../html/markup";
import type { ExportData } from "../load-export-data";
import { acquire, release, RENDER_TIMEOUT_MS } from "./browser-pool";
import { continueLayout, layoutPages } from "./layout-pages";
import type { PdfLayoutReport } from "./layout-types";

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
      `<span style='${clip}'>Annotated copy · exported ${escapeHtml(formatLongDay(data.generatedAt))}</span>` +
      `<span>Page <span class='pageNumber'></span> of <span class='totalPages'></span></span></div>`,
  };
}

/** Laying out a step at a time, report progress about this often. */
const LAYOUT_STEP_MS = 400;

/**
 * Renders the annotated copy to PDF; also reports what the layout did. With
 * `onProgress`, the layout runs in steps of `layoutStepMs` (default
 * {@link LAYOUT_STEP_MS}) and each step's progress is reported (setting the
 * text, flowing it into pages, placing the notes, printing); the pages come
 * out the same either way.
 */
export async function renderPdfExportWithReport(
  data: ExportData,
  origin: string,
  onProgress?: (progress: ExportProgress) => void,
  { layoutStepMs = LAYOUT_STEP_MS }: { layoutStepMs?: number } = {},
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
      const layout = async (safetyPx: number, isReported: boolean): Promise<PdfLayoutReport> => {
        if (isReported) onProgress?.(exportProgress("setting"));
        await page.setContent(html, { waitUntil: "load" });
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
        // Bundlers that keep function names (esbuild's keepNames, as tsx sets it) wrap
        // functions in a module-level __name(); give the page a no-op one, since
        // layoutPages is serialised without its module.
        await page.evaluate("globalThis.__name = globalThis.__name || ((target) => target)");
        let step = await page.evaluate(layoutPages, {
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
          stepMs: isReported && onProgress ? layoutStepMs : undefined,
        });
        while (!step.report) {
          if (isReported && step.phase !== "done")
            onProgress?.(exportProgress(step.phase, step.done, step.total));
          step = await page.evaluate(continueLayout, layoutStepMs);
        }
        if (isReported) onProgress?.(exportProgress("printing"));
        return step.report;
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
      let report = await layout(2, true);
      let pdf = await print();
      if (countPdfPages(pdf) !== report.pages) {
        attempts += 1;
        // Chromium paginated differently from what we measured (it has not, since margins
        // are counted): lay out again with a line's worth of room at every page's foot.
        report = await layout(24, false);
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
export async function renderPdfExport(
  data: ExportData,
  origin: string,
  onProgress?: (progress: ExportProgress) => void,
): Promise<Uint8Array> {
  return (await renderPdfExportWithReport(data, origin, onProgress)).pdf;
}
