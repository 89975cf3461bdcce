/**
 * The annotated copy's fonts, embedded as data: URLs so that the file needs
 * no request to look as it should.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

/** The faces we embed: the latin subsets only, which keeps the file near 200 kB. */
const FONT_FILES = [
  {
    family: "Source Serif 4 Variable",
    style: "normal",
    file: "@fontsource-variable/source-serif-4/files/source-serif-4-latin-wght-normal.woff2",
  },
  {
    family: "Source Serif 4 Variable",
    style: "italic",
    file: "@fontsource-variable/source-serif-4/files/source-serif-4-latin-wght-italic.woff2",
  },
  {
    family: "Inter Variable",
    style: "normal",
    file: "@fontsource-variable/inter/files/inter-latin-wght-normal.woff2",
  },
] as const;

/** The latin subset's range, as @fontsource declares it: other characters fall back per glyph. */
const LATIN_RANGE =
  "U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD";

let fontFaceCss: string | null = null;

/**
 * @font-face rules with the fonts as data: URLs, read once per process. A
 * face that cannot be read (a deployment without node_modules, say) is left
 * out, and the font stacks fall back to Georgia / system sans.
 */
export function embeddedFontCss(): string {
  if (fontFaceCss !== null) return fontFaceCss;
  const rules: string[] = [];
  for (const face of FONT_FILES) {
    try {
      const data = readFileSync(path.join(process.cwd(), "node_modules", face.file)).toString("base64");
      rules.push(
        `@font-face{font-family:"${face.family}";font-style:${face.style};font-weight:200 900;font-display:swap;` +
          `src:url(data:font/woff2;base64,${data}) format("woff2");unicode-range:${LATIN_RANGE}}`,
      );
    } catch {
      // Missing font file: the fallback fonts in the stacks take over.
    }
  }
  fontFaceCss = rules.join("\n");
  return fontFaceCss;
}
