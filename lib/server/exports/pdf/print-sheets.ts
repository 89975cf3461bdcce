/**
 * The laid-out pages made ready to print a batch at a time, run inside
 * Chromium (print-batches.ts hands these functions to `page.evaluate`; page
 * scripts stay disabled, so, as in layout-pages.ts, each function carries
 * everything it uses).
 *
 * Chromium's own running header and footer count pages within one print
 * ("Page 1 of 40" in every batch), so each page box gets its own header and
 * footer with the page's number in the whole copy, inside a sheet the size of
 * the paper; the print itself has no margins. Every sheet is hidden (no
 * layout boxes) but while its batch prints, so Chromium lays out and paints
 * one batch per print.
 */

/** What every sheet carries, as markup already escaped by the server. */
export type PrintSheetsConfig = {
  /** The running header's inner markup (the reading, the seminar). */
  headerHtml: string;
  /** The footer's left-hand markup ("Annotated copy · exported …"). */
  footerHtml: string;
};

/** Wraps every page box in a sheet with its header and "Page X of Y"; returns the number of sheets. */
export function preparePrintSheets(config: PrintSheetsConfig): number {
  const boxes = Array.from(document.querySelectorAll<HTMLElement>(".pages > .page"));
  boxes.forEach((box, index) => {
    const sheet = document.createElement("div");
    sheet.className = "print-sheet";
    sheet.dataset.sheet = String(index);
    // Read as part of the page by nobody: they repeat on every page, like Chromium's own header.
    const head = document.createElement("div");
    head.className = "print-head";
    head.setAttribute("aria-hidden", "true");
    head.innerHTML = config.headerHtml;
    const foot = document.createElement("div");
    foot.className = "print-foot";
    foot.setAttribute("aria-hidden", "true");
    foot.innerHTML = config.footerHtml;
    const number = document.createElement("span");
    number.textContent = `Page ${index + 1} of ${boxes.length}`;
    foot.append(number);
    box.before(sheet);
    sheet.append(head, foot, box);
  });
  return boxes.length;
}

/**
 * Shows the sheets `from` (0-based) up to `to` (exclusive) for the next print
 * and hides the rest. Printed sheets stay in the page, hidden: Chromium names
 * a link's destination only when the link is in the document, and a pointer
 * on page 3 leads to an endnote printed in a later batch.
 */
export function showPrintBatch(range: { from: number; to: number }): number {
  let shown = 0;
  for (const sheet of Array.from(document.querySelectorAll<HTMLElement>(".pages > .print-sheet"))) {
    const index = Number(sheet.dataset.sheet);
    const isShown = index >= range.from && index < range.to;
    sheet.classList.toggle("is-printing", isShown);
    if (isShown) shown += 1;
  }
  return shown;
}
