/**
 * The annotated copy's stylesheet: the app's colours (one source,
 * lib/shared/theme/palette.css), the embedded fonts, then the copy's own
 * rules from the .css files beside this module, each read once per process.
 *
 * The files are read from the checkout (`process.cwd()`, as the fonts are
 * from node_modules): under tsx and vitest that is the repository, and under
 * `next build` + `npm start` too. The paths are scoped to their folders so
 * that Next's file tracing carries exactly these files with the export route
 * (next.config.js also lists them in `outputFileTracingIncludes`).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { embeddedFontCss } from "./fonts";

/** The copy's own stylesheets in lib/server/exports/html/, by what they are for. */
const OWN_FILES = {
  /** Page, header, text and highlights. */
  base: "annotated-copy.css",
  /** Notes in the margin, the essay's notes, detached threads, narrow screens. */
  notes: "notes.css",
  /** Printing the HTML file from a browser. */
  browserPrint: "print.css",
  /** The PDF's page boxes (in place of the browser print rules). */
  pdf: "pdf-pages.css",
} as const;

const cache = new Map<string, string>();

function readOnce(key: string, read: () => string): string {
  let css = cache.get(key);
  if (css === undefined) {
    try {
      css = read();
    } catch (error) {
      // Unlike a font, a missing stylesheet would ship an unreadable copy: fail the export instead.
      throw new Error(`The annotated copy's stylesheet ${key} cannot be read: ${String(error)}`);
    }
    cache.set(key, css);
  }
  return css;
}

function ownCss(file: (typeof OWN_FILES)[keyof typeof OWN_FILES]): string {
  return readOnce(file, () =>
    readFileSync(path.join(process.cwd(), "lib", "server", "exports", "html", file), "utf8"),
  );
}

function paletteCss(): string {
  return readOnce("palette.css", () =>
    readFileSync(path.join(process.cwd(), "lib", "shared", "theme", "palette.css"), "utf8"),
  );
}

/** The whole stylesheet of the HTML file (`forPdf`: the PDF's page layout instead of the print rules). */
export function annotatedCopyCss(forPdf: boolean): string {
  return [
    embeddedFontCss(),
    paletteCss(),
    ownCss(OWN_FILES.base),
    ownCss(OWN_FILES.notes),
    ownCss(forPdf ? OWN_FILES.pdf : OWN_FILES.browserPrint),
  ].join("\n");
}
