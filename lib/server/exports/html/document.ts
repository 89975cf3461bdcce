/**
 * The annotated copy as one self-contained HTML file: the text set like a
 * book, each annotated passage highlighted in its category's colour with a
 * small numbered marker, and the threads as numbered notes in a margin
 * column beside their passages. Everything is inline (CSS, fonts as data:
 * URLs); there is no script, so it reads the same with JavaScript off, and a
 * Content-Security-Policy forbids any script or request should something
 * ever slip through. All text is escaped; comment bodies are rendered from
 * typed nodes, never as HTML.
 *
 * The parts: header.ts (the colophon), text-writer.ts (the text with its
 * highlights and markers, passage by passage), notes.ts (threads as notes),
 * plan-margin.ts (what fits beside a paragraph), stylesheet.ts (the CSS
 * files). The PDF export (../pdf) renders the same markup with `forPdf`,
 * which swaps the print rules for a page-layout stylesheet; its layout
 * script then paginates it.
 */
import type { ExportData } from "../load-export-data";
import { contentsHtml, headingAnchors } from "./contents";
import { headerHtml } from "./header";
import { escapeHtml } from "./markup";
import { noteHtml } from "./notes";
import { annotatedCopyCss } from "./stylesheet";
import { joinChunks } from "../stream-chunks";
import { textHtmlChunks } from "./text-writer";

/** How to render. */
export type HtmlExportOptions = {
  /** The variant that the PDF export paginates (its page stylesheet instead of the print rules). */
  forPdf?: boolean;
};

/** Threads whose passage is gone from the text, each with the words it was anchored to. */
function detachedHtml(data: ExportData): string {
  const detached = data.threads.filter((thread) => !thread.range);
  if (detached.length === 0) return "";
  return (
    `<section class="detached" aria-labelledby="detached-heading">` +
    `<h2 class="section-heading keep-with-next" id="detached-heading">Detached threads</h2>` +
    `<p class="section-intro keep-with-next">The passages these threads were written on are no longer in the text. Each is shown with the words it was anchored to.</p>` +
    detached.map((thread) => noteHtml(thread, { where: "detached" })).join("") +
    `</section>`
  );
}

/**
 * The annotated copy as one HTML file: no script, no external request, every
 * character of user content escaped. `origin` is the app's address, for the
 * link back to the live reading.
 */
export function renderHtmlExport(data: ExportData, origin: string, options: HtmlExportOptions = {}): string {
  return joinChunks(htmlExportChunks(data, origin, options));
}

/**
 * The same file in pieces, the text passage by passage: the download streams them as they
 * are written (at 10,000 threads the text is ~16 MB, ~0.5 s of writing), instead of
 * starting only once the whole file is one string.
 */
export function* htmlExportChunks(
  data: ExportData,
  origin: string,
  options: HtmlExportOptions = {},
): Generator<string> {
  const title = `${data.document.title} — annotated copy — ${data.seminar.title}`;
  const csp =
    "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:; base-uri 'none'; form-action 'none'";
  const css = annotatedCopyCss(options.forPdf ?? false);
  yield (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${csp}">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="referrer" content="no-referrer">` +
    `<meta name="generator" content="Marginalia">` +
    `<title>${escapeHtml(title)}</title>` +
    `<style>${css}</style></head>` +
    `<body${options.forPdf ? ` class="pdf"` : ""}><div class="sheet">` +
    headerHtml(data, origin) +
    // The PDF has no contents list: its pages are laid out by a script that measures passages only.
    (options.forPdf ? "" : contentsHtml(headingAnchors(data.document.doc))) +
    `<main class="text" id="text">`
  );
  yield* textHtmlChunks(data, options);
  yield `${detachedHtml(data)}</main></div></body></html>\n`;
}
