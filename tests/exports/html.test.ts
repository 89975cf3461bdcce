/**
 * The annotated copy as one HTML file, opened as a reader would open it: in
 * Chromium with JavaScript off and the network cut, on a wide screen and on a
 * phone. Made from a real discussion (tests/exports/annotated-copy-scenario.ts).
 */
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { htmlExportChunks, renderHtmlExport } from "../../lib/server/exports/html/document";
import { streamChunks } from "../../lib/server/exports/stream-chunks";
import { readCommentBody } from "../../lib/shared/comments/read-comment-body";
import type { ExportData, ExportThread } from "../../lib/server/exports/load-export-data";
import { launchBrowser } from "../helpers/browser";
import {
  buildAnnotatedCopyScenario,
  HOSTILE_TEXT,
  LONG_THREAD_REPLIES,
  lettersOf,
  PHRASES,
} from "./annotated-copy-scenario";

const ORIGIN = "http://localhost:3000";

let data: ExportData;
let html: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Every request the page tried to make, data: URLs aside. */
const requests: string[] = [];

/**
 * A body that never passed the sanitizer (a private note's, written by its
 * owner's browser), as the rooms' readers hand it on: through readCommentBody.
 */
const UNSANITIZED_BODY = {
  type: "doc",
  content: [
    {
      type: "paragraph",
      content: [
        {
          type: "text",
          text: "Smuggled link",
          marks: [{ type: "link", attrs: { href: "javascript:alert(1)" } }],
        },
        { type: "text", text: " and " },
        { type: "text", text: "another", marks: [{ type: "link", attrs: { href: " JaVaScRiPt:alert(2)" } }] },
        { type: "text", text: " <script>alert(3)</script>" },
      ],
    },
    { type: "rawHtml", content: [{ type: "text", text: "<iframe src=https://evil.example>" }] },
  ],
};

function threadOn(phrase: string): ExportThread {
  const thread = data.threads.find((candidate) => candidate.quote.exact === phrase);
  if (!thread) throw new Error(`No thread on “${phrase}”.`);
  return thread;
}

let scenario: Awaited<ReturnType<typeof buildAnnotatedCopyScenario>>;

beforeAll(async () => {
  scenario = await buildAnnotatedCopyScenario();
  data = await scenario.load();
  const hostile = threadOn(PHRASES.hostile);
  hostile.comments.push({
    id: "unsanitized",
    parentId: null,
    author: { id: "x", name: "Mallory <b>Bold</b>", role: "STUDENT" },
    body: readCommentBody(UNSANITIZED_BODY),
    text: "Smuggled link and another",
    createdAt: new Date().toISOString(),
    editedAt: null,
    isDeleted: false,
    isHidden: false,
    reactionCounts: { helpful: 0, sameQuestion: 0 },
  });
  html = renderHtmlExport(data, ORIGIN);

  browser = await launchBrowser();
  context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1400, height: 1000 } });
  await context.route("**/*", async (route) => {
    requests.push(route.request().url());
    await route.abort();
  });
  page = await context.newPage();
  page.on("request", (request) => {
    if (!request.url().startsWith("data:")) requests.push(request.url());
  });
  await page.setContent(html, { waitUntil: "load" });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
});

describe("the HTML export", () => {
  it("streams as the download sends it: the same file, its head first and then the text passage by passage", async () => {
    const chunks = [...htmlExportChunks(data, ORIGIN)];
    expect(chunks[0]).toContain(`<main class="text" id="text">`);
    expect(chunks[0]).not.toContain(`class="passage`);
    const passages = chunks.filter((chunk) => chunk.startsWith(`<div class="passage`));
    expect(passages.length).toBe(html.match(/<div class="passage[ "]/g)?.length);
    expect(passages.length).toBeGreaterThan(10);

    const bytes: Uint8Array[] = [];
    const reader = streamChunks(htmlExportChunks(data, ORIGIN)).getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) bytes.push(read.value);
    expect(bytes.length).toBeGreaterThan(1);
    expect(Buffer.concat(bytes).toString("utf8")).toBe(html);
  });

  it("is one self-contained file: no script, no stylesheet or font from anywhere else", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<(link|img|iframe|object|embed|base)\b/i);
    expect(html).not.toMatch(/@import/i);
    const urls = [...html.matchAll(/url\(([^)]*)\)/g)].map((match) => match[1] ?? "");
    expect(urls.length).toBeGreaterThanOrEqual(3);
    expect(urls.every((url) => url.startsWith("data:font/woff2;base64,"))).toBe(true);
    // A policy that forbids scripts and requests, should anything ever slip through.
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; font-src data:`);
    // The latin subsets only keep the file small.
    expect(html.length).toBeLessThan(600_000);
  });

  it("makes no request when opened, and its own fonts are used", async () => {
    expect(requests).toEqual([]);
    const fonts = await page.evaluate(() => [
      document.fonts.check("16px 'Source Serif 4 Variable'"),
      document.fonts.check("16px 'Inter Variable'"),
    ]);
    expect(fonts).toEqual([true, true]);
  });

  it("shows the title, every quote and every comment as text", async () => {
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe(data.document.title);
    const visible = lettersOf(await page.locator("body").innerText());
    for (const thread of data.threads) {
      expect(visible, `quote of note ${thread.number}`).toContain(lettersOf(thread.quote.exact));
      for (const comment of thread.comments) {
        if (comment.isDeleted || comment.isHidden) continue;
        expect(visible, `a comment in note ${thread.number}`).toContain(lettersOf(comment.text));
      }
    }
    for (const reply of LONG_THREAD_REPLIES) expect(visible).toContain(lettersOf(reply));
    // Deleted and hidden words are not in the file at all.
    expect(html).not.toContain("DELETED-REPLY-7c1e");
    expect(html).not.toContain("HIDDEN-REPLY-9d2a");
    expect(visible).toContain(lettersOf("This comment was deleted."));
    expect(visible).toContain(lettersOf("Hidden by an instructor."));
  });

  it("shows an instructor a hidden comment's words, marked hidden from students", async () => {
    expect(html).not.toContain("Hidden from students");
    const instructors = await context.newPage();
    try {
      await instructors.setContent(renderHtmlExport(await scenario.loadAsInstructor(), ORIGIN), {
        waitUntil: "load",
      });
      const hidden = instructors.locator(".comment", { hasText: "HIDDEN-REPLY-9d2a" });
      await expect.poll(() => hidden.count()).toBe(1);
      expect(lettersOf(await hidden.innerText())).toContain(
        lettersOf("Hidden from students HIDDEN-REPLY-9d2a should not be shown."),
      );
      expect(await instructors.locator(".export-header").innerText()).toContain(
        "1 comment hidden from students, for instructors only",
      );
      const visible = lettersOf(await instructors.locator("body").innerText());
      expect(visible).not.toContain(lettersOf("Hidden by an instructor"));
      expect(visible).not.toContain(lettersOf("DELETED-REPLY-7c1e"));
      await hidden.screenshot({ path: path.join(tmpdir(), "marginalia-hidden-note.png") });
    } finally {
      await instructors.close();
    }
  });

  it("says what it holds: seminar, export date, layers, and the snapshot when there is one", async () => {
    const header = page.locator(".export-header");
    const text = await header.innerText();
    expect(text).toContain(data.seminar.title);
    expect(text).toContain("Seminar discussion and private notes of Priya Nair");
    expect(text).not.toContain("snapshot");
    const asOf = renderHtmlExport(
      {
        ...data,
        snapshot: { id: "s1", name: "Before Thursday", createdAt: new Date("2026-03-05T10:00:00Z") },
      },
      ORIGIN,
    );
    expect(asOf).toContain(
      'snapshot “Before Thursday”, <time datetime="2026-03-05T10:00:00.000Z">5 March 2026</time>',
    );
  });

  it("sets every note in the margin beside its paragraph on a wide screen", async () => {
    const anchored = data.threads.filter((thread) => thread.range);
    expect(anchored.length).toBeGreaterThanOrEqual(10);
    for (const thread of anchored) {
      const paragraph = await page
        .locator(".passage", { has: page.locator(`#passage-${thread.number}`) })
        .locator(":scope > .passage-text")
        .boundingBox();
      const note = await page.locator(`#thread-${thread.number}`).boundingBox();
      expect(paragraph && note, `note ${thread.number}`).toBeTruthy();
      if (!paragraph || !note) continue;
      expect(note.y, `note ${thread.number} starts beside its paragraph`).toBeGreaterThanOrEqual(
        paragraph.y - 1,
      );
      expect(note.y, `note ${thread.number} starts beside its paragraph`).toBeLessThanOrEqual(
        paragraph.y + paragraph.height,
      );
      expect(note.x, `note ${thread.number} is in the margin`).toBeGreaterThanOrEqual(
        paragraph.x + paragraph.width,
      );
    }
  });

  it("continues a thread too long for the margin below its paragraph, not in a gap of blank text", async () => {
    const long = threadOn(PHRASES.longThread);
    const more = page.locator(`#thread-${long.number}-more`);
    await expect(more.count()).resolves.toBe(1);
    const paragraph = await page
      .locator(".passage", { has: page.locator(`#passage-${long.number}`) })
      .locator(":scope > .passage-text")
      .boundingBox();
    const box = await more.boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(paragraph!.y + paragraph!.height);
    expect(box!.x).toBeLessThan(paragraph!.x + paragraph!.width);
    expect(await more.innerText()).toContain(LONG_THREAD_REPLIES.at(-1)!.slice(0, 40));
    await expect(page.locator(`#thread-${long.number} .note-more a`).getAttribute("href")).resolves.toBe(
      `#thread-${long.number}-more`,
    );
  });

  it("highlights overlapping passages in segments, the overlap marked with both notes", async () => {
    const outer = threadOn(PHRASES.outer);
    const inner = threadOn(PHRASES.inner);
    const overlap = page.locator(`mark.hl-multi[data-notes="${outer.number} ${inner.number}"]`);
    expect(await overlap.innerText()).toBe(PHRASES.inner);
    // The newest annotation's colour fills the overlap: the inner comment's category.
    await expect(overlap.getAttribute("style")).resolves.toBe(`--hl:${inner.category!.color.toLowerCase()}`);
    const markers = await page.locator("sup.mk a").allInnerTexts();
    const numbers = markers.map(Number);
    expect(numbers.length).toBe(data.threads.filter((thread) => thread.range).length);
  });

  it("numbers markers and notes in reading order", async () => {
    const notes = await page
      .locator("aside.note:not(.note-continued)")
      .evaluateAll((elements): number[] =>
        elements.map((element) => Number(element.getAttribute("data-note"))),
      );
    expect(notes).toEqual(data.threads.map((thread) => thread.number));
    expect(notes).toEqual([...notes].sort((a, b) => a - b));
  });

  it("marks instructors, private notes, resolved threads and pinned questions", async () => {
    const question = page.locator(`#thread-${threadOn(PHRASES.question).number}`);
    expect(await question.locator(".badge").first().innerText()).toMatch(/instructor/i);
    expect(await question.locator(".flag-pinned").innerText()).toMatch(/pinned/i);
    const resolved = page.locator(`#thread-${threadOn(PHRASES.resolved).number}`);
    expect(await resolved.innerText()).toContain("Resolved by Elena Marín");
    const note = page.locator(`#thread-${threadOn(PHRASES.privateNote).number}`);
    expect(await note.locator(".flag-private").innerText()).toMatch(/private/i);
    expect(await note.getAttribute("class")).toContain("is-private");
  });

  it("shows markup in a comment as text and never writes a javascript: link", async () => {
    const hostile = page.locator(`#thread-${threadOn(PHRASES.hostile).number}`);
    await expect(hostile.getByText(HOSTILE_TEXT, { exact: true }).count()).resolves.toBe(1);
    expect(await page.locator("img, iframe, script").count()).toBe(0);
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(await hostile.innerText()).toContain("Mallory <b>Bold</b>");
    expect(await hostile.innerText()).toContain("Smuggled link and another <script>alert(3)</script>");
    expect(html.toLowerCase()).not.toContain("javascript:");
    const hrefs = await page
      .locator("a[href]")
      .evaluateAll((links): string[] => links.map((link) => link.getAttribute("href") ?? ""));
    expect(hrefs.length).toBeGreaterThan(20);
    for (const href of hrefs) expect(href).toMatch(/^(#|https?:\/\/|mailto:)/);
    const external = page.locator('a[href="https://example.org/breton-mexico"]');
    await expect(external.getAttribute("rel")).resolves.toBe("noopener noreferrer");
  });

  it("links the essay's note references to its notes and back", async () => {
    await expect(page.locator('sup.fn-ref#ref-1 a[href="#note-1"]').count()).resolves.toBe(1);
    await expect(page.locator('#note-1 a.footnote-back[href="#ref-1"]').count()).resolves.toBe(1);
    // Note 8 has no reference in the text, so it has no way back either.
    await expect(page.locator("#note-8 a.footnote-back").count()).resolves.toBe(0);
  });

  it("lists detached threads at the end with the words they were anchored to", async () => {
    const detached = data.threads.filter((thread) => !thread.range);
    expect(detached.map((thread) => thread.quote.exact)).toEqual([PHRASES.detached]);
    const section = page.locator("section.detached");
    const text = await section.innerText();
    expect(text).toContain(PHRASES.detached);
    expect(text).toContain("Gall’s question for the whole essay: track her answers.");
    const sectionBox = await section.boundingBox();
    const notesBox = await page.locator("section.footnotes").boundingBox();
    expect(sectionBox!.y).toBeGreaterThan(notesBox!.y);
    // Its words are gone from the text itself.
    expect(await page.locator(".passage-text").allInnerTexts()).not.toContain(PHRASES.detached);
  });

  it("puts the notes below each paragraph on a narrow screen", async () => {
    const narrow = await context.newPage();
    try {
      await narrow.setViewportSize({ width: 400, height: 800 });
      await narrow.setContent(html, { waitUntil: "load" });
      const thread = threadOn(PHRASES.pity);
      const paragraph = await narrow
        .locator(".passage", { has: narrow.locator(`#passage-${thread.number}`) })
        .locator(":scope > .passage-text")
        .boundingBox();
      const note = await narrow.locator(`#thread-${thread.number}`).boundingBox();
      expect(note!.y).toBeGreaterThanOrEqual(paragraph!.y + paragraph!.height - 1);
      expect(note!.x + note!.width).toBeLessThanOrEqual(400);
      const width = await narrow.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(400);
    } finally {
      await narrow.close();
    }
  });
});
