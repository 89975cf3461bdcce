/**
 * The exports of uploaded texts: the structure the converters keep
 * (section headings, verse with line numbers, page markers, lists, tables,
 * figures, the text's own notes) in the HTML copy and the Markdown, the
 * contents list of a long text, and the JSON-LD page selector that cites a
 * passage by the source's page. The texts are converted from the upload
 * fixtures, stored as uploaded texts are, and assigned to a seminar.
 */
import type { JSONContent } from "@tiptap/core";
import { beforeAll, describe, expect, it } from "vitest";
import { createAnnotation } from "../../lib/server/annotations/create-annotation";
import { db } from "../../lib/server/db";
import { createOwnedDocument } from "../../lib/server/documents/create-owned-document";
import { saveDocumentImages } from "../../lib/server/documents/document-images";
import { renderHtmlExport } from "../../lib/server/exports/html/document";
import { renderJsonLd } from "../../lib/server/exports/jsonld";
import { loadExportData } from "../../lib/server/exports/load-export-data";
import { renderMarkdown } from "../../lib/server/exports/markdown";
import { runConversion } from "../../lib/server/imports/run-conversion";
import { anchorOn } from "../helpers/anchors";
import { buildSeminar, buildUser } from "../helpers/factories";
import { converted, fixture } from "../imports/import-kit";
import { clientId } from "./export-scenario";

const ORIGIN = "https://read.example.edu";
/** A one-pixel PNG, stored as a figure's image. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);
const FIGURE_KEY = "0123456789abcdef0123456789abcdef.png";

let instructor: Awaited<ReturnType<typeof buildUser>>;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;

/** Converts a fixture and stores it as an uploaded text, read by the seminar; returns its id. */
async function storedReading(name: string, extra: JSONContent[] = []): Promise<string> {
  const result = converted(await runConversion({ bytes: fixture(name), filename: name }));
  const content = { ...result.content, content: [...(result.content.content ?? []), ...extra] };
  // The text's own notes close it: anything added goes before them.
  const blocks = content.content;
  const notes = blocks.findIndex((node) => node.type === "footnotes");
  if (notes >= 0 && extra.length > 0) {
    const [footnotes] = blocks.splice(notes, 1);
    blocks.push(footnotes as JSONContent);
  }
  const document = await db.$transaction((tx) =>
    createOwnedDocument(tx, { ownerId: instructor.id, content, metadata: result.metadata }),
  );
  await db.reading.create({ data: { seminarId: seminar.id, documentId: document.id } });
  return document.id;
}

const exportOf = (documentId: string) =>
  loadExportData({ userId: instructor.id }, seminar.id, documentId, { layers: "seminar" });

beforeAll(async () => {
  instructor = await buildUser({ name: "Ines Instructor" });
  seminar = await buildSeminar({ instructor, withEssay: false });
});

describe("headings, lists, tables, figures and notes", () => {
  let html: string;
  let markdown: string;

  beforeAll(async () => {
    const figure: JSONContent = {
      type: "figure",
      attrs: { key: FIGURE_KEY, alt: "A pencil in a margin", caption: "The tool." },
    };
    // A figure whose image was never stored (its bytes lost): the copy says what it showed.
    const missingFigure: JSONContent = {
      type: "figure",
      attrs: { key: "fedcba9876543210fedcba9876543210.png", alt: "A lost drawing", caption: "" },
    };
    const documentId = await storedReading("notes.md", [figure, missingFigure]);
    await saveDocumentImages(documentId, [
      { key: FIGURE_KEY, mediaType: "image/png", bytes: PNG, alt: "A pencil in a margin" },
    ]);
    const data = await exportOf(documentId);
    html = renderHtmlExport(data, ORIGIN);
    markdown = renderMarkdown(data, ORIGIN);
  });

  it("writes the HTML copy's headings with ids, and a contents list linking to them", () => {
    expect(html).toContain(
      '<h2 class="doc-heading" id="section-why-read-in-company">Why read in company</h2>',
    );
    expect(html).toContain(
      '<h3 class="doc-heading" id="section-what-the-margin-keeps">What the margin keeps</h3>',
    );
    expect(html).toContain('<h3 class="doc-heading" id="section-reading-order">Reading order</h3>');
    const contents = /<nav class="contents"[^]*?<\/nav>/.exec(html)?.[0] ?? "";
    expect(contents).toContain('<h2 class="section-heading" id="contents-heading">Contents</h2>');
    // Nested: the two level-3 sections under the level-2 one.
    expect(contents).toContain(
      '<li><a href="#section-why-read-in-company">Why read in company</a><ol>' +
        '<li><a href="#section-what-the-margin-keeps">What the margin keeps</a></li>' +
        '<li><a href="#section-reading-order">Reading order</a></li></ol></li>',
    );
    // The contents come before the text.
    expect(html.indexOf('<nav class="contents"')).toBeLessThan(html.indexOf('<main class="text"'));
  });

  it("keeps lists, the table, the quotation, the figure and the notes in the HTML copy", () => {
    expect(html).toMatch(/<ul[^>]*>\s*<li[^>]*>(<p>)?questions that the reader cannot yet answer;/);
    expect(html).toMatch(/<ol[^>]*>\s*<li[^>]*>(<p>)?Read the whole text once without stopping\./);
    expect(html).toMatch(/<table[^]*Question[^]*What does “guest” mean here\?[^]*<\/table>/);
    expect(html).toMatch(/<blockquote[^>]*>[^]*A text is not finished when it is printed/);
    // The image travels inside the file (its CSP allows data: images only).
    expect(html).toContain(
      `<img src="data:image/png;base64,${PNG.toString("base64")}" alt="A pencil in a margin">`,
    );
    expect(html).toContain('<p class="figure-missing">[Image: A lost drawing]</p>');
    expect(html).not.toContain("/api/document-images/");
    expect(html).toMatch(/<figcaption[^>]*>The tool\.<\/figcaption>/);
    expect(html).toMatch(/<p class="footnote" id="note-1">[^]*seed plot/);
    expect(html).toMatch(/href="https:\/\/example\.org\/reading"/);
  });

  it("keeps headings, list markers, the table, the figure's words and the notes in the Markdown", () => {
    expect(markdown).toContain("\n## Why read in company\n\n");
    expect(markdown).toContain("\n### What the margin keeps\n\n");
    expect(markdown).toContain("\n- questions that the reader cannot yet answer;\n");
    expect(markdown).toContain(
      "\n1. Read the whole text once without stopping.\n2. Read it again with a pencil.\n",
    );
    expect(markdown).toContain("| Question | What does “guest” mean here? |");
    expect(markdown).toContain(
      "\n> A text is not finished when it is printed; it is finished when it is read.\n",
    );
    expect(markdown).toContain("The tool.");
    expect(markdown).toContain("A pencil in a margin");
    // The text's own notes are footnotes under their own numbers (lib/server/exports/markdown.ts).
    expect(markdown).toMatch(
      /\n\[\^1\]: \*Note 1\.\* The word comes from the Latin \*?seminarium\*?, a seed plot\./,
    );
  });
});

describe("verse", () => {
  it("keeps each line, and the number of every fifth, in the HTML copy and the Markdown", async () => {
    const data = await exportOf(await storedReading("poem.md"));
    const html = renderHtmlExport(data, ORIGIN);
    const markdown = renderMarkdown(data, ORIGIN);
    expect(html).toContain('data-line="1">The lamp at the window burns late into night,</p>');
    expect(html).toMatch(
      /data-line="5" data-line-number="5">It burns for a reader who turns every page,<\/p>/,
    );
    expect(html).toMatch(
      /data-line="10" data-line-number="10">the lamp at the window still lets the dark in\.<\/p>/,
    );
    expect(html).not.toMatch(/data-line="4" data-line-number/);
    expect(markdown).toContain(
      "The lamp at the window burns late into night,\\\na small square of amber, a ship's steady light;\\\n",
    );
  });
});

describe("page markers", () => {
  let documentId: string;
  beforeAll(async () => {
    documentId = await storedReading("essay.pdf");
  });

  it("mark the source's pages in the HTML copy and the Markdown", async () => {
    const data = await exportOf(documentId);
    const html = renderHtmlExport(data, ORIGIN);
    const markdown = renderMarkdown(data, ORIGIN);
    for (const page of ["1", "2", "3"]) {
      expect(html).toContain(
        `<span class="page-marker" data-page="${page}" aria-label="Page ${page} of the source">${page}</span>`,
      );
      expect(markdown).toContain(`[p. ${page}]`);
    }
  });

  it("cite a passage by its source page in JSON-LD (an RFC 3778 fragment selector)", async () => {
    // On the PDF's third page (pdftotext -f 3 -l 3 tests/fixtures/uploads/essay.pdf).
    const phrase = "the relationship between national sovereignty and solidarity among different nations";
    const id = clientId();
    await createAnnotation({ userId: instructor.id }, seminar.id, documentId, {
      id,
      kind: "HIGHLIGHT",
      anchor: await anchorOn(documentId, phrase),
    });
    const jsonld = JSON.parse(renderJsonLd(await exportOf(documentId), ORIGIN)) as {
      items?: { target: { selector: { type: string; value?: string; exact?: string }[] } }[];
      first?: { items: { target: { selector: { type: string; value?: string; exact?: string }[] } }[] };
    };
    const items = jsonld.items ?? jsonld.first?.items ?? [];
    const annotation = items.find((item) => item.target.selector.some((s) => s.exact === phrase));
    expect(annotation).toBeDefined();
    const pageSelector = annotation?.target.selector.find((s) => s.type === "FragmentSelector");
    expect(pageSelector).toEqual({
      type: "FragmentSelector",
      conformsTo: "http://tools.ietf.org/rfc/rfc3778",
      value: "page=3",
    });
  });
});
