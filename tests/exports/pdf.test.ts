/**
 * The annotated copy as a PDF, read back as a reader (or an archive) would:
 * its words with poppler's pdftotext, its pages as pictures with pdftoppm.
 * Made from a real discussion (tests/exports/annotated-copy-scenario.ts)
 * with a thread far too long for any margin.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExportData, ExportThread } from "../../lib/server/exports/load-export-data";
import {
  closePdfBrowser,
  findChromiumExecutable,
  PDF_PAGE,
  renderPdfExport,
  renderPdfExportWithReport,
  type PdfLayoutReport,
  type PdfRenderOptions,
} from "../../lib/server/exports/pdf/render-pdf";
import { isAppError } from "../../lib/shared/errors";
import type { ExportProgress } from "../../lib/shared/exports/export-progress";
import { textToCommentBody } from "../../lib/shared/comments/comment-body";
import {
  buildAnnotatedCopyScenario,
  LONG_THREAD_REPLIES,
  lettersOf,
  PHRASES,
} from "./annotated-copy-scenario";

const POPPLER = {
  pdftotext: "/usr/bin/pdftotext",
  pdftoppm: "/usr/bin/pdftoppm",
  pdfinfo: "/usr/bin/pdfinfo",
};

function poppler(tool: keyof typeof POPPLER, args: string[]): string {
  const binary = existsSync(POPPLER[tool]) ? POPPLER[tool] : tool;
  try {
    return execFileSync(binary, args, {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      throw new Error(
        `${tool} is missing: these tests read the PDF back with poppler (apt-get install poppler-utils).`,
      );
    throw error;
  }
}

// ---- Words with their places (pdftotext -bbox), split into the text column and the margin.

type Word = { text: string; x: number; y: number; bottom: number };
type PageWords = { header: Word[]; text: Word[]; margin: Word[] };

const MM = 72 / 25.4;

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;|&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

/** Lines top to bottom, words left to right; superscripts (a little higher) make their own line. */
function inReadingOrder(words: Word[]): Word[] {
  const sorted = [...words].sort((a, b) => a.bottom - b.bottom || a.x - b.x);
  const lines: Word[][] = [];
  for (const word of sorted) {
    const line = lines.at(-1);
    if (line && Math.abs((line[0] as Word).bottom - word.bottom) < 2) line.push(word);
    else lines.push([word]);
  }
  return lines.flatMap((line) => line.sort((a, b) => a.x - b.x));
}

function readWords(pdfPath: string): PageWords[] {
  const xml = poppler("pdftotext", ["-bbox", pdfPath, "-"]);
  const marginLeft = (PDF_PAGE.leftMm + PDF_PAGE.textMm + PDF_PAGE.gutterMm / 2) * MM;
  return [...xml.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)].map((page) => {
    const height = Number(page[2]);
    const result: PageWords = { header: [], text: [], margin: [] };
    for (const match of (page[3] ?? "").matchAll(
      /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g,
    )) {
      const word = {
        text: unescapeXml(match[4] ?? ""),
        x: Number(match[1]),
        y: Number(match[2]),
        bottom: Number(match[3]),
      };
      // The running header and footer live in the paper's top and bottom margins.
      if (word.bottom < PDF_PAGE.topMm * MM || word.y > height - PDF_PAGE.bottomMm * MM)
        result.header.push(word);
      else if (word.x >= marginLeft) result.margin.push(word);
      else result.text.push(word);
    }
    return {
      header: inReadingOrder(result.header),
      text: inReadingOrder(result.text),
      margin: inReadingOrder(result.margin),
    };
  });
}

// ---- A tiny PNG reader (8-bit, non-interlaced: what pdftoppm writes).

function decodePng(file: Buffer): { width: number; height: number; channels: number; pixels: Buffer } {
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Buffer[] = [];
  while (offset < file.length) {
    const length = file.readUInt32BE(offset);
    const type = file.toString("ascii", offset + 4, offset + 8);
    const chunk = file.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = chunk.readUInt32BE(0);
      height = chunk.readUInt32BE(4);
      expect(chunk[8]).toBe(8);
      channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[chunk[9] as number] ?? 0;
      expect(chunk[12]).toBe(0);
    } else if (type === "IDAT") data.push(chunk);
    else if (type === "IEND") break;
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] as number;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? (pixels[y * stride + x - channels] as number) : 0;
      const b = y > 0 ? (pixels[(y - 1) * stride + x] as number) : 0;
      const c = x >= channels && y > 0 ? (pixels[(y - 1) * stride + x - channels] as number) : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter] ?? 0;
      pixels[y * stride + x] = ((line[x] as number) + predictor) & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

/** Pixels of the page body (between the header and footer bands) clearly darker than paper. */
function inkInBody(png: { width: number; height: number; channels: number; pixels: Buffer }): number {
  const top = Math.ceil((PDF_PAGE.topMm / PDF_PAGE.heightMm) * png.height);
  const bottom = Math.floor((1 - PDF_PAGE.bottomMm / PDF_PAGE.heightMm) * png.height);
  let ink = 0;
  for (let y = top; y < bottom; y++) {
    for (let x = 0; x < png.width; x++) {
      const at = (y * png.width + x) * png.channels;
      const luminance =
        png.channels >= 3
          ? ((png.pixels[at] as number) + (png.pixels[at + 1] as number) + (png.pixels[at + 2] as number)) / 3
          : (png.pixels[at] as number);
      if (luminance < 200) ink += 1;
    }
  }
  return ink;
}

// ---- The export.

let data: ExportData;
let report: PdfLayoutReport;
let dir: string;
let pdfPath: string;
let pages: PageWords[];
let scenario: Awaited<ReturnType<typeof buildAnnotatedCopyScenario>>;

/** Renders `exportData` into the test's directory; returns the report and the words of each page. */
async function renderAndRead(exportData: ExportData, name: string, options: PdfRenderOptions = {}) {
  const rendered = await renderPdfExportWithReport(exportData, "http://localhost:3000", undefined, options);
  const file = path.join(dir, `${name}.pdf`);
  writeFileSync(file, rendered.pdf);
  return { report: rendered.report, file, pages: readWords(file) };
}

function threadOn(phrase: string): ExportThread {
  const thread = data.threads.find((candidate) => candidate.quote.exact === phrase);
  if (!thread) throw new Error(`No thread on “${phrase}”.`);
  return thread;
}

/** The letters of a column of every page, and where each page starts in them. */
function column(name: "text" | "margin", of: PageWords[] = pages) {
  const starts: number[] = [];
  let letters = "";
  for (const page of of) {
    starts.push(letters.length);
    letters += lettersOf(page[name].map((word) => word.text).join(" "));
  }
  const pageAt = (index: number) => starts.filter((start) => start <= index).length - 1;
  return { letters, pageAt };
}

beforeAll(async () => {
  poppler("pdftotext", ["-v"]);
  dir = mkdtempSync(path.join(tmpdir(), "marginalia-pdf-"));
  scenario = await buildAnnotatedCopyScenario();
  data = await scenario.load();
  const rendered = await renderPdfExportWithReport(data, "http://localhost:3000");
  report = rendered.report;
  pdfPath = path.join(dir, "export.pdf");
  writeFileSync(pdfPath, rendered.pdf);
  pages = readWords(pdfPath);
}, 120_000);

afterAll(async () => {
  await closePdfBrowser();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the PDF export", () => {
  it("is laid out in the copy's own fonts, loaded before anything is measured", () => {
    // The copy is hidden until laid out (pdf-pages.css), so nothing asks for its fonts: they
    // are loaded first (render-pdf.ts). Measured in a fallback font, the pages would be wrong.
    expect(report.wereFontsLoaded).toBe(true);
  });

  it("is an A4 PDF with the pages the layout made", () => {
    const info = poppler("pdfinfo", [pdfPath]);
    expect(info).toMatch(/Page size:\s+59[56]\.\d+ x 84[12]\.\d+ pts \(A4\)/);
    expect(Number(/Pages:\s+(\d+)/.exec(info)?.[1])).toBe(report.pages);
    expect(pages.length).toBe(report.pages);
    expect(report.pages).toBeGreaterThanOrEqual(3);
    expect(report.pages).toBeLessThanOrEqual(12);
    expect(report.overflowingPages).toEqual([]);
    // Chromium's pages were the layout's pages the first time.
    expect(report.printedPages).toBe(report.pages);
    expect(report.attempts).toBe(1);
  });

  it("holds every quote and every comment, none cut off", () => {
    const text = column("text").letters;
    const everything = text + column("margin").letters;
    for (const thread of data.threads) {
      expect(text, `quote of note ${thread.number}`).toContain(lettersOf(thread.quote.exact));
      for (const comment of thread.comments) {
        if (comment.isDeleted || comment.isHidden) continue;
        expect(everything, `a comment of note ${thread.number}: ${comment.text.slice(0, 40)}`).toContain(
          lettersOf(comment.text),
        );
      }
    }
    expect(everything).not.toContain(lettersOf("DELETED-REPLY-7c1e"));
    expect(everything).not.toContain(lettersOf("HIDDEN-REPLY-9d2a"));
  });

  it("numbers the notes in the margin in reading order, each beside its passage", () => {
    const kinds = new Set(["HIGHLIGHT", "COMMENT", "GUIDING", "PRIVATE"]);
    // A note's head reads "<number> COMMENT …"; the pointers left for moved notes read "<number> Comment …".
    const heads: { number: number; page: number }[] = [];
    pages.forEach((page, index) => {
      page.margin.forEach((word, i) => {
        const next = page.margin[i + 1];
        if (/^\d+$/.test(word.text) && next && kinds.has(next.text))
          heads.push({ number: Number(word.text), page: index });
      });
    });
    const numbers = heads.map((head) => head.number);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(new Set(numbers).size).toBe(numbers.length);

    const anchored = data.threads.filter((thread) => thread.range);
    expect(numbers.length).toBe(anchored.length - report.movedToEndnotes.length);
    const { letters, pageAt } = column("text");
    for (const thread of anchored) {
      const head = heads.find((candidate) => candidate.number === thread.number);
      if (report.movedToEndnotes.includes(thread.number)) {
        expect(head, `note ${thread.number} was moved`).toBeUndefined();
        continue;
      }
      expect(head, `note ${thread.number} is in the margin`).toBeDefined();
      const passagePage = pageAt(letters.indexOf(lettersOf(thread.quote.exact)));
      // Beside its passage, or at the top of the next page when its paragraph goes on there.
      expect([passagePage, passagePage + 1], `note ${thread.number}`).toContain(head!.page);
      if (head!.page === passagePage + 1) {
        const first = heads.find((candidate) => candidate.page === head!.page);
        expect(first!.number, `note ${thread.number} was carried overleaf`).toBeLessThanOrEqual(
          thread.number,
        );
      }
    }
  });

  it("continues a thread too long for its margin in the endnotes, keeping its number", () => {
    const long = threadOn(PHRASES.longThread);
    expect(report.continuedInEndnotes).toContain(long.number);
    const { letters, pageAt } = column("text");
    const endnotes = letters.lastIndexOf(lettersOf("Endnotes"));
    expect(endnotes).toBeGreaterThan(0);
    const last = letters.indexOf(lettersOf(LONG_THREAD_REPLIES.at(-1)!));
    expect(last).toBeGreaterThan(endnotes);
    // The margin part says where the rest is, with the page.
    const endnotePage = pageAt(letters.indexOf(lettersOf(`Note ${long.number}, continued`), endnotes)) + 1;
    const margin = pages.map((page) => page.margin.map((word) => word.text).join(" ")).join(" ");
    expect(margin).toContain(`continued in the endnotes, p. ${endnotePage}`);
    // Every moved or continued note has its entry there, in number order.
    const entries = [...report.movedToEndnotes, ...report.continuedInEndnotes].sort((a, b) => a - b);
    const positions = entries.map((number) => letters.indexOf(lettersOf(`Note ${number}`), endnotes));
    expect(positions.every((position) => position > endnotes)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it("lists the detached thread with its quote after the text", () => {
    const detached = threadOn(PHRASES.detached);
    expect(detached.range).toBeNull();
    const { letters } = column("text");
    const heading = letters.indexOf(lettersOf("Detached threads"));
    expect(heading).toBeGreaterThan(
      letters.indexOf(lettersOf("distinguished guest of the Mexican Revolution")),
    );
    expect(letters.indexOf(lettersOf(PHRASES.detached))).toBeGreaterThan(heading);
  });

  it("has a running header and 'Page X of Y' on every page", () => {
    const plain = poppler("pdftotext", ["-layout", pdfPath, "-"])
      .split("\f")
      .filter((page) => page.trim());
    expect(plain.length).toBe(report.pages);
    plain.forEach((page, index) => {
      expect(page).toContain(`Page ${index + 1} of ${report.pages}`);
      expect(page).toContain(data.document.title);
      expect(page).toContain(data.seminar.title);
    });
  });

  it("prints ink on every page", () => {
    poppler("pdftoppm", ["-r", "50", "-png", pdfPath, path.join(dir, "page")]);
    const images = readdirSync(dir)
      .filter((name) => name.startsWith("page") && name.endsWith(".png"))
      .sort();
    expect(images.length).toBe(report.pages);
    for (const image of images) {
      const png = decodePng(readFileSync(path.join(dir, image)));
      expect(png.width).toBeGreaterThan(400);
      // A page with only its running header and footer has no ink in the body at all.
      expect(inkInBody(png), image).toBeGreaterThan(1_500);
    }
  });

  it("renders several exports at once, in turn, with one browser", async () => {
    const results = await Promise.all(
      [1, 2, 3].map(() => renderPdfExportWithReport(data, "http://localhost:3000")),
    );
    for (const result of results) {
      expect(Buffer.from(result.pdf.subarray(0, 5)).toString("latin1")).toBe("%PDF-");
      expect(result.report.pages).toBe(report.pages);
      expect(result.report.movedToEndnotes).toEqual(report.movedToEndnotes);
    }
  }, 60_000);

  it("prints a hidden comment's words in an instructor's copy, marked hidden from students", async () => {
    const instructors = await renderAndRead(await scenario.loadAsInstructor(), "instructor");
    const everything =
      column("text", instructors.pages).letters + column("margin", instructors.pages).letters;
    expect(everything).toContain(lettersOf("Hidden from students HIDDEN-REPLY-9d2a should not be shown."));
    expect(everything).not.toContain(lettersOf("Hidden by an instructor"));
    expect(everything).not.toContain(lettersOf("DELETED-REPLY-7c1e"));
    // The student's copy made above says only that it was hidden.
    expect(column("margin").letters + column("text").letters).toContain(
      lettersOf("Hidden by an instructor."),
    );
  }, 60_000);

  it("lays out in steps, reporting progress that only moves forward, into the same pages", async () => {
    const reports: ExportProgress[] = [];
    // Steps already over when they begin: one block of text, one page of notes or one endnote
    // per step, however fast the clock ticks.
    const stepped = await renderPdfExportWithReport(
      data,
      "http://localhost:3000",
      (progress) => reports.push(progress),
      {
        layoutStepMs: -1,
      },
    );
    expect(Buffer.from(stepped.pdf.subarray(0, 5)).toString("latin1")).toBe("%PDF-");
    expect({ ...stepped.report, fill: undefined }).toEqual({ ...report, fill: undefined });
    const stages = reports.map((progress) => progress.stage).filter((stage, i, all) => stage !== all[i - 1]);
    expect(stages).toEqual(["setting", "text", "notes", "endnotes", "printing"]);
    const fractions = reports.map((progress) => progress.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    const text = reports.filter((progress) => progress.stage === "text");
    expect(text.map((progress) => progress.done)).toEqual(text.map((_, i) => i + 1));
    expect(text.length).toBeGreaterThan(5);
    const notes = reports.filter((progress) => progress.stage === "notes");
    // Every page the text filled had its notes placed (the endnotes' pages come after).
    const lastNotes = notes.at(-1);
    expect(lastNotes?.done).toBe(lastNotes?.total);
    expect(lastNotes?.total).toBeLessThanOrEqual(report.pages);
    expect(lastNotes?.total).toBeGreaterThan(1);
    // Then the endnotes, one a step: every note moved or continued there.
    const endnotes = reports.filter((progress) => progress.stage === "endnotes");
    const endnoteCount = report.movedToEndnotes.length + report.continuedInEndnotes.length;
    expect(endnoteCount).toBeGreaterThan(0);
    expect(endnotes.map((progress) => progress.done)).toEqual(endnotes.map((_, i) => i + 1));
    expect(endnotes.at(-1)?.total).toBe(endnoteCount);
  }, 60_000);

  it("says clearly when there is no Chromium to print with", () => {
    try {
      findChromiumExecutable(["/nonexistent/chromium"]);
      expect.unreachable();
    } catch (error) {
      expect(isAppError(error) && error.code).toBe("unavailable");
      expect((error as Error).message).toBe(
        "PDF export needs Chromium on the server: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.",
      );
    }
  });
});

/** A comment of `words` words, varied enough that finding its letters means finding it. */
function prose(words: number, seed: number): string {
  const vocabulary =
    "asylum sovereignty exile principle letter cabinet minister refuge revolution seminar margin question evidence archive decree treaty border republic witness verdict".split(
      " ",
    );
  let state = seed;
  return Array.from({ length: words }, () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return vocabulary[state % vocabulary.length];
  }).join(" ");
}

describe("the PDF layout under pressure", () => {
  let crowded: ExportData;
  let result: Awaited<ReturnType<typeof renderAndRead>>;

  beforeAll(async () => {
    const base = data.threads.find((thread) => thread.quote.exact === PHRASES.pity)!;
    const title = data.document.doc.firstChild!;
    const make = (i: number, text: string, range = base.range): ExportThread => ({
      ...base,
      id: `crowd-${i}`,
      kind: "COMMENT",
      category: null,
      range,
      createdAt: new Date(Date.UTC(2026, 2, 1, 10, i)).toISOString(),
      comments: [
        {
          id: `crowd-${i}-c`,
          parentId: null,
          author: { id: "u", name: `Reader ${i}`, role: null },
          body: textToCommentBody(text),
          text,
          createdAt: new Date(Date.UTC(2026, 2, 1, 10, i)).toISOString(),
          editedAt: null,
          isDeleted: false,
          isHidden: false,
          reactionCounts: { helpful: 0, sameQuestion: 0 },
        },
      ],
    });
    const extra = [
      ...Array.from({ length: 12 }, (_, i) => make(i, prose(20 + i * 6, i + 1))),
      make(20, prose(1_600, 99)),
      make(21, `See https://example.org/${"very-long-path-segment-".repeat(12)}end for the archive.`),
      make(22, prose(30, 7), { from: 1, to: 1 + title.content.size }),
    ];
    const threads = [...data.threads, ...extra].sort((a, b) => {
      if (!a.range || !b.range) return a.range ? -1 : b.range ? 1 : 0;
      return a.range.from - b.range.from || a.range.to - b.range.to || a.createdAt.localeCompare(b.createdAt);
    });
    crowded = { ...data, threads: threads.map((thread, i) => ({ ...thread, number: i + 1 })) };
    result = await renderAndRead(crowded, "crowded");
  }, 120_000);

  it("keeps every comment, however many crowd one passage and however long one is", () => {
    const everything = column("text", result.pages).letters + column("margin", result.pages).letters;
    for (const thread of crowded.threads) {
      for (const comment of thread.comments) {
        if (comment.isDeleted || comment.isHidden) continue;
        expect(everything, `note ${thread.number}`).toContain(lettersOf(comment.text));
      }
    }
    expect(result.report.overflowingPages).toEqual([]);
    expect(result.report.printedPages).toBe(result.report.pages);
    expect(result.report.attempts).toBe(1);
    // The crowd did not fit beside a seven-line paragraph: some went to the endnotes.
    expect(result.report.movedToEndnotes.length + result.report.continuedInEndnotes.length).toBeGreaterThan(
      3,
    );
  });

  it("keeps the numbers in the margin in order and nothing outside the paper", () => {
    const numbers: number[] = [];
    const pageWidth = PDF_PAGE.widthMm * MM;
    for (const page of result.pages) {
      page.margin.forEach((word, i) => {
        const next = page.margin[i + 1];
        if (/^\d+$/.test(word.text) && next && /^(HIGHLIGHT|COMMENT|GUIDING|PRIVATE)$/.test(next.text))
          numbers.push(Number(word.text));
      });
      for (const word of [...page.text, ...page.margin]) expect(word.x).toBeLessThan(pageWidth - 5 * MM);
    }
    expect(numbers.length).toBeGreaterThan(5);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  });

  it("prints ink on every page", () => {
    poppler("pdftoppm", ["-r", "30", "-png", result.file, path.join(dir, "crowded")]);
    const images = readdirSync(dir).filter((name) => name.startsWith("crowded") && name.endsWith(".png"));
    expect(images.length).toBe(result.report.pages);
    for (const image of images)
      expect(inkInBody(decodePng(readFileSync(path.join(dir, image)))), image).toBeGreaterThan(400);
  });
});

/** The text of each page as pdftotext lays it out, pages split at form feeds. */
function pageTexts(file: string): string[] {
  return poppler("pdftotext", ["-layout", file, "-"])
    .split("\f")
    .filter((page) => page.trim());
}

describe("the PDF printed in batches", () => {
  let big: ExportData;
  let batched: Awaited<ReturnType<typeof renderAndRead>>;
  const reports: ExportProgress[] = [];

  beforeAll(async () => {
    // Every anchored thread twenty times over, each copy with comments of its own: the margins
    // overflow into pages of endnotes, so batches cut through text, margins and endnotes alike.
    const anchored = data.threads.filter((thread) => thread.range);
    const copies = anchored.flatMap((thread, t) =>
      Array.from({ length: 20 }, (_, k): ExportThread => {
        const seed = t * 100 + k;
        return {
          ...thread,
          id: `${thread.id}-copy-${k}`,
          createdAt: new Date(Date.UTC(2026, 3, 1, 9, seed)).toISOString(),
          comments: Array.from({ length: 1 + (seed % 3) }, (_, c) => {
            const text = prose(25 + ((seed * 7 + c * 13) % 50), seed * 10 + c + 1);
            return {
              id: `${thread.id}-copy-${k}-c${c}`,
              parentId: null,
              author: { id: `reader-${seed % 9}`, name: `Reader ${seed % 9}`, role: null },
              body: textToCommentBody(text),
              text,
              createdAt: new Date(Date.UTC(2026, 3, 1, 10, seed, c)).toISOString(),
              editedAt: null,
              isDeleted: false,
              isHidden: false,
              reactionCounts: { helpful: 0, sameQuestion: 0 },
            };
          }),
        };
      }),
    );
    const threads = [...data.threads, ...copies].sort((a, b) => {
      if (!a.range || !b.range) return a.range ? -1 : b.range ? 1 : 0;
      return a.range.from - b.range.from || a.range.to - b.range.to || a.createdAt.localeCompare(b.createdAt);
    });
    big = { ...data, threads: threads.map((thread, i) => ({ ...thread, number: i + 1 })) };
    const rendered = await renderPdfExportWithReport(
      big,
      "http://localhost:3000",
      (progress) => reports.push(progress),
      // Two pages print the batches side by side, whatever the machine's cores.
      { batchPages: 4, printers: 2 },
    );
    const file = path.join(dir, "batched.pdf");
    writeFileSync(file, rendered.pdf);
    batched = { report: rendered.report, file, pages: readWords(file) };
  }, 300_000);

  it("joins the batches into one file with every page the layout made", () => {
    expect(batched.report.pages).toBeGreaterThan(12);
    const info = poppler("pdfinfo", [batched.file]);
    expect(Number(/Pages:\s+(\d+)/.exec(info)?.[1])).toBe(batched.report.pages);
    expect(info).toMatch(/Page size:\s+59[56]\.\d+ x 84[12]\.\d+ pts \(A4\)/);
    expect(batched.report.printedPages).toBe(batched.report.pages);
    expect(batched.report.attempts).toBe(1);
    expect(batched.report.overflowingPages).toEqual([]);
  });

  it("lays the notes out on the pages measuring each where it goes would, without a page's text past its foot", async () => {
    // The endnotes fill the pages from the one with their heading on.
    const texts = pageTexts(batched.file);
    const first = texts.findIndex((text) => text.includes("Notes, and the ends of threads"));
    expect(first).toBeGreaterThan(0);
    expect(texts.length - first, "pages of endnotes").toBeGreaterThan(3);
    batched.report.fill.forEach((page, index) =>
      expect(page.text, `page ${index + 1}'s text`).toBeLessThanOrEqual(page.height),
    );
    // Only the notes with room left measured in the margin (the default) or every one: the same
    // pages, filled alike, the same notes in the endnotes.
    const everyNote = await renderPdfExportWithReport(big, "http://localhost:3000", undefined, {
      batchPages: 40,
      measuresEveryNote: true,
    });
    expect(everyNote.report.pages).toBe(batched.report.pages);
    expect(everyNote.report.fill).toEqual(batched.report.fill);
    expect(everyNote.report.movedToEndnotes).toEqual(batched.report.movedToEndnotes);
    expect(everyNote.report.continuedInEndnotes).toEqual(batched.report.continuedInEndnotes);
  }, 300_000);

  it("numbers every page of the whole, not of its batch, under the running header", () => {
    const plain = pageTexts(batched.file);
    expect(plain.length).toBe(batched.report.pages);
    plain.forEach((page, index) => {
      expect(page, `page ${index + 1}`).toContain(`Page ${index + 1} of ${batched.report.pages}`);
      expect(page).toContain(big.document.title);
      expect(page).toContain(big.seminar.title);
    });
  });

  it("holds every thread and every comment, in order", () => {
    const everything = column("text", batched.pages).letters + column("margin", batched.pages).letters;
    for (const thread of big.threads) {
      for (const comment of thread.comments) {
        if (comment.isDeleted || comment.isHidden) continue;
        expect(everything, `a comment of note ${thread.number}`).toContain(lettersOf(comment.text));
      }
    }
    // The margins' notes read in number order from the first page to the last…
    const heads: number[] = [];
    for (const page of batched.pages)
      page.margin.forEach((word, i) => {
        const next = page.margin[i + 1];
        if (/^\d+$/.test(word.text) && next && /^(HIGHLIGHT|COMMENT|GUIDING|PRIVATE)$/.test(next.text))
          heads.push(Number(word.text));
      });
    expect(heads).toEqual([...heads].sort((a, b) => a - b));
    // …and so do the endnotes, every moved or continued note among them.
    const origins = [
      ...pageTexts(batched.file)
        .join("\n")
        .matchAll(/NOTE (\d+)(?:, CONTINUED)? · PASSAGE ON P\. \d+/g),
    ].map((match) => Number(match[1]));
    const entries = [...batched.report.movedToEndnotes, ...batched.report.continuedInEndnotes]
      .filter((number, i, all) => all.indexOf(number) === i)
      .sort((a, b) => a - b);
    expect(entries.length).toBeGreaterThan(20);
    expect(origins).toEqual([...origins].sort((a, b) => a - b));
    expect([...new Set(origins)]).toEqual(entries);
    // Every note is in the margin or the endnotes.
    const anchored = big.threads.filter((thread) => thread.range).map((thread) => thread.number);
    const inMargin = new Set(heads);
    for (const number of anchored)
      expect(inMargin.has(number) || entries.includes(number), `note ${number}`).toBe(true);
  });

  it("points from the margin to the endnotes' pages in the joined file", () => {
    const plain = pageTexts(batched.file);
    const margin = batched.pages.map((page) => page.margin.map((word) => word.text).join(" ")).join(" ");
    const pageOf = (needle: string) => plain.findIndex((page) => page.includes(needle)) + 1;
    for (const number of batched.report.continuedInEndnotes) {
      const page = pageOf(`NOTE ${number}, CONTINUED`);
      expect(page, `note ${number}'s continuation`).toBeGreaterThan(0);
      expect(margin).toContain(`continued in the endnotes, p. ${page}`);
    }
    // A note moved whole leaves a pointer (when even that fits) naming the page of its endnote.
    const pointers = [
      ...margin.matchAll(/\b(\d+) [^—\d]{0,30}(?:\d [^—\d]{0,20})?— in the endnotes, p\. (\d+)\b/g),
    ];
    expect(pointers.length).toBeGreaterThan(20);
    for (const [, number, page] of pointers) {
      expect(batched.report.movedToEndnotes, `pointer of note ${number}`).toContain(Number(number));
      expect(pageOf(`NOTE ${number} ·`), `note ${number} in the endnotes`).toBe(Number(page));
    }
  });

  it("keeps its links: every link's destination is named, on the page the text says", () => {
    const destinations = new Map(
      [...poppler("pdfinfo", ["-dests", batched.file]).matchAll(/^\s*(\d+) \[.*\] "(.+)"$/gm)].map(
        (match) => [match[2] as string, Number(match[1])],
      ),
    );
    const linked = new Set(
      [
        ...readFileSync(batched.file)
          .toString("latin1")
          .matchAll(/\/Dest\s*\/([^\s/[\]<>()]+)/g),
      ].map((match) => match[1] as string),
    );
    expect(linked.size).toBeGreaterThan(100);
    for (const name of linked) expect(destinations.has(name), `the link to #${name}`).toBe(true);
    // An endnote says where its passage is, a pointer where its note went: their links lead there,
    // from one batch into another.
    const plain = pageTexts(batched.file).join("\n");
    const origins = [...plain.matchAll(/NOTE (\d+)(?:, CONTINUED)? · PASSAGE ON P\. (\d+)/g)];
    expect(origins.length).toBeGreaterThan(20);
    for (const [, number, page] of origins)
      expect(destinations.get(`passage-${number}`), `note ${number}'s passage`).toBe(Number(page));
    const margin = batched.pages.map((page) => page.margin.map((word) => word.text).join(" ")).join(" ");
    const pointers = [
      ...margin.matchAll(/\b(\d+) [^—\d]{0,30}(?:\d [^—\d]{0,20})?— in the endnotes, p\. (\d+)\b/g),
    ];
    const batchOf = (page: number) => Math.floor((page - 1) / 4);
    let acrossBatches = 0;
    for (const [, number, page] of pointers) {
      expect(destinations.get(`thread-${number}`), `note ${number} in the endnotes`).toBe(Number(page));
      if (batchOf(Number(page)) !== batchOf(destinations.get(`passage-${number}`) ?? 0)) acrossBatches += 1;
    }
    expect(acrossBatches).toBeGreaterThan(10);
  });

  it("prints the batches in two pages side by side, the same pages as one print of the whole", async () => {
    const printedBy = batched.report.batchesByPrinter ?? [];
    expect(printedBy, "batches printed by the laid-out page and by its copy").toHaveLength(2);
    expect(Math.min(...printedBy)).toBeGreaterThan(0);
    expect(printedBy.reduce((sum, count) => sum + count, 0)).toBe(Math.ceil(batched.report.pages / 4));
    // One page, one print.
    const whole = await renderAndRead(big, "whole", { batchPages: 1000, printers: 1 });
    expect(whole.report.batchesByPrinter).toEqual([1]);
    const one = pageTexts(whole.file);
    const parts = pageTexts(batched.file);
    expect(parts.length).toBe(one.length);
    parts.forEach((page, index) => expect(page, `page ${index + 1}`).toBe(one[index]));
  }, 300_000);

  it("reports each printed batch, up to every page", () => {
    const printing = reports.filter((progress) => progress.stage === "printing");
    const total = batched.report.pages;
    // Batches finish in any order between the two pages: one report before the first and one
    // after each, every step a batch's pages (the last batch may be short).
    const done = printing.map((progress) => progress.done);
    expect(done).toHaveLength(Math.ceil(total / 4) + 1);
    expect(done[0]).toBe(0);
    expect(done.at(-1)).toBe(total);
    const steps = done.slice(1).map((pages, i) => pages - (done[i] as number));
    expect(steps.filter((step) => step !== 4)).toEqual(total % 4 === 0 ? [] : [total % 4]);
    expect(printing.every((progress) => progress.total === total)).toBe(true);
    expect(printing.at(-1)?.fraction).toBe(1);
    const fractions = reports.map((progress) => progress.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  });

  it("streams the file from disk and removes it once read, or once the reader gives up", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "marginalia-pdf-root-"));
    try {
      const whole = await renderPdfExport(data, "http://localhost:3000", undefined, { tempRoot: root });
      expect(readdirSync(root).length).toBe(1);
      const bytes = new Uint8Array(await new Response(whole.body).arrayBuffer());
      expect(bytes.byteLength).toBe(whole.bytes);
      expect(Buffer.from(bytes.subarray(0, 5)).toString("latin1")).toBe("%PDF-");
      expect(readdirSync(root)).toEqual([]);

      const given = await renderPdfExport(data, "http://localhost:3000", undefined, { tempRoot: root });
      const reader = given.body.getReader();
      await reader.read();
      await reader.cancel();
      expect(readdirSync(root)).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);

  it("fails clearly when a batch cannot be printed, and leaves no file behind", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "marginalia-pdf-root-"));
    const failAt = (printers: number) =>
      renderPdfExportWithReport(big, "http://localhost:3000", undefined, {
        batchPages: 4,
        printers,
        tempRoot: root,
        // The browser goes away before the third batch prints.
        beforeBatch: async ({ from }) => {
          expect(readdirSync(root).length).toBe(1);
          if (from === 8) await closePdfBrowser();
        },
      });
    const message = (pages: string) =>
      new RegExp(
        `^Printing pages ${pages} of ${batched.report.pages} of the PDF failed; nothing was saved\\. Try again\\.`,
      );
    try {
      // One page printing: the batch about to print is the one that failed.
      const alone = failAt(1);
      await expect(alone).rejects.toThrow(message("9–12"));
      await alone.catch((error: unknown) => expect(isAppError(error) && error.code).toBe("unavailable"));
      expect(readdirSync(root)).toEqual([]);
      // Two pages printing: the batch about to print, or the one the other page was printing
      // when the browser went, whichever failed first.
      const sideBySide = failAt(2);
      await expect(sideBySide).rejects.toThrow(message("(1–4|5–8|9–12|13–16)"));
      await sideBySide.catch((error: unknown) => expect(isAppError(error) && error.code).toBe("unavailable"));
      expect(readdirSync(root)).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 300_000);
});
