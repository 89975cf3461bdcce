/**
 * The annotated copy's stylesheet: the app's colours (one source,
 * lib/shared/theme/palette.css), the embedded fonts, then the copy's own
 * rules from the .css files beside this module, read once per process.
 *
 * The files are read from the checkout (`process.cwd()`, as the fonts are
 * from node_modules): under tsx and vitest that is the repository, and under
 * `next build` + `npm start` too; next.config.js lists them in
 * `outputFileTracingIncludes` so that a traced deployment carries them.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { embeddedFontCss } from "./fonts";

/** The stylesheet files, relative to the repository root, in cascade order. */
export const STYLESHEET_FILES = {
  palette: "lib/shared/theme/palette.css",
  base: ["lib/server/exports/html/annotated-copy.css", "lib/server/exports/html/notes.css"],
  browserPrint: "lib/server/exports/html/print.css",
  pdf: "lib/server/exports/html/pdf-pages.css",
} as const;

const cache = new Map<string, string>();

function readStylesheet(file: string): string {
  let css = cache.get(file);
  if (css === undefined) {
    try {
      css = readFileSync(path.join(process.cwd(), file), "utf8");
    } catch (error) {
      // Unlike a font, a missing stylesheet would ship an unreadable copy: fail the export instead.
      throw new Error(`The annotated copy's stylesheet ${file} is missing: ${String(error)}`);
    }
    cache.set(file, css);
  }
  return css;
}

/** The whole stylesheet of the HTML file (`forPdf`: with the PDF's page layout instead of print rules). */
export function annotatedCopyCss(forPdf: boolean): string {
  return [
    embeddedFontCss(),
    readStylesheet(STYLESHEET_FILES.palette),
    ...STYLESHEET_FILES.base.map(readStylesheet),
    readStylesheet(forPdf ? STYLESHEET_FILES.pdf : STYLESHEET_FILES.browserPrint),
  ].join("\n");
}
