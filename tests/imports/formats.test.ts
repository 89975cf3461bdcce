/**
 * Every format converts the essay and the short fixtures
 * (tests/fixtures/uploads, made by make-fixtures.sh with pandoc, LibreOffice
 * and Chromium) with every paragraph, note, verse line and page marker
 * present and in order. Runs the converters in this process; convert.test.ts
 * covers the worker.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runConversion } from "@/lib/server/imports/run-conversion";
import { documentTextOf } from "@/lib/shared/documents/reading-content";
import { readingDocFromJSON } from "@/lib/shared/schema/reading-schema";
import {
  ESSAY_PATH,
  converted,
  essay,
  essayParts,
  expectInOrder,
  fixture,
  nodesOf,
  squash,
  textOf,
} from "./import-kit";

const convert = (name: string) => runConversion({ bytes: fixture(name), filename: name });

describe("plain text", () => {
  it("converts a text in our own format exactly as the library importer does", async () => {
    const raw = readFileSync(ESSAY_PATH);
    const result = converted(await runConversion({ bytes: new Uint8Array(raw), filename: "essay.txt" }));
    const library = essay();
    expect(result.format).toBe("text");
    expect(result.content).toEqual(library.content);
    expect(documentTextOf(result.content)).toEqual({
      plainText: library.plainText,
      offsetMap: library.offsetMap,
    });
    expect(result.found.notes).toBe(8);
  });

  it("reads ordinary prose: a short first line is the title, blank lines part paragraphs, short lines are verse", async () => {
    const raw =
      "A Short Text\n\nThe first paragraph is long enough to be prose, and it wraps at seventy\ncolumns as a text editor would.\n\nRoses are red,\nviolets are blue,\nsugar is sweet.\n";
    const result = converted(
      await runConversion({ bytes: new TextEncoder().encode(raw), filename: "pasted.txt" }),
    );
    expect(result.metadata.title).toBe("A Short Text");
    expect(nodesOf(result.content, "paragraph").map(textOf)).toEqual([
      "The first paragraph is long enough to be prose, and it wraps at seventy columns as a text editor would.",
    ]);
    expect(nodesOf(result.content, "verseLine").map(textOf)).toEqual([
      "Roses are red,",
      "violets are blue,",
      "sugar is sweet.",
    ]);
  });
});

describe.each(["md", "html", "docx", "epub"])("the essay as .%s", (extension) => {
  // Markdown, HTML, Word and EPUB collapse runs of spaces (the essay has two double spaces); otherwise character for character.
  it("keeps every paragraph and every referenced note, character for character, in order", async () => {
    const result = converted(await convert(`essay.${extension}`));
    const { body, notes } = essayParts();
    expect(result.metadata.title).toBe("Trotsky, Guest of the Revolution");
    expect(result.metadata.byline).toBe("Olivia Gall");
    expect(result.metadata.source).toBe("Against the Current, No. 147, July/August 2010");
    const bodyOnly = nodesOf(
      { type: "doc", content: result.content.content?.filter((n) => n.type !== "footnotes") },
      "paragraph",
    );
    expect(bodyOnly.map(textOf)).toEqual(body.map(squash));
    // pandoc's smart punctuation drops the space the essay has before one closing quote (note 5).
    const asPandocWrites = (text: string) =>
      extension === "md" ? squash(text) : squash(text).replace(/ ”/g, "”");
    const referenced = nodesOf(result.content, "footnote").filter((note) => note.attrs?.hasReference);
    expect(referenced.map(textOf)).toEqual(notes.map(asPandocWrites));
    // Each reference points to its note, numbered in reading order.
    expect(nodesOf(result.content, "footnoteReference").map((ref) => Number(ref.attrs?.number))).toEqual([
      1, 2, 3, 4, 5, 6, 7,
    ]);
    expect(() => readingDocFromJSON(result.content)).not.toThrow();
  });
});

describe("the essay as .pdf (LibreOffice)", () => {
  it("keeps every paragraph and note in order, with one page marker per page and no running page numbers", async () => {
    const result = converted(await convert("essay.pdf"));
    const { body, notes } = essayParts();
    const paragraphs = nodesOf(result.content, "paragraph").map(textOf);
    expectInOrder(paragraphs, body, squash);
    // White space next to punctuation can differ in a PDF's text layer; note 7 runs on to the next page,
    // and only its first page's part is recognised.
    const tight = (s: string) => s.replace(/\s+/g, "");
    const found = nodesOf(result.content, "footnote").map((n) => tight(textOf(n)));
    expect(found.slice(0, 6)).toEqual(notes.slice(0, 6).map(tight));
    expect(tight(notes[6]!).startsWith(found[6]!)).toBe(true);
    const markers = nodesOf(result.content, "pageMarker").map((m) => String(m.attrs?.label));
    expect(markers).toEqual(["1", "2", "3", "4"]);
    expect(result.found.pages).toBe(4);
    const { plainText } = documentTextOf(result.content);
    expect(plainText).not.toMatch(/\n\d+\n/);
  });
});

describe.each(["md", "html", "docx", "epub", "pdf"])("the poem as .%s", (extension) => {
  it("keeps every line of verse, numbered through the poem", async () => {
    const result = converted(await convert(`poem.${extension}`));
    const source = readFileSync(`${process.cwd()}/tests/fixtures/uploads/sources/poem.md`, "utf8");
    const expected = source
      .split("---")[2]!
      .split("\n")
      .map((line) => line.replace(/\\$/, "").trim())
      .filter(Boolean)
      .map((line) => (extension === "md" ? line : line.replace(/'/g, "’")));
    const lines = nodesOf(result.content, "verseLine");
    expect(lines.map(textOf)).toEqual(expected);
    expect(lines.map((line) => Number(line.attrs?.number))).toEqual(expected.map((_, i) => i + 1));
    expect(result.found.verseLines).toBe(12);
    expect(result.metadata.title).toBe("The Lamp at the Window");
  });
});

describe.each(["md", "html", "docx", "epub"])("the notes text as .%s", (extension) => {
  it("keeps headings, notes, lists, the table, the quotation, emphasis and the link", async () => {
    const result = converted(await convert(`notes.${extension}`));
    expect(result.metadata).toMatchObject({ title: "On Reading Together", byline: "Tomas Reyes" });
    expect(nodesOf(result.content, "heading").map((h) => [Number(h.attrs?.level), textOf(h)])).toEqual([
      [2, "Why read in company"],
      [3, "What the margin keeps"],
      [3, "Reading order"],
    ]);
    expect(nodesOf(result.content, "footnote").map(textOf)).toEqual([
      "The word comes from the Latin seminarium, a seed plot.",
      "On the medieval lectio see any history of the universities.",
      "The address is an example and does not exist.",
    ]);
    expect(nodesOf(nodesOf(result.content, "bulletList")[0]!, "paragraph").map(textOf)).toHaveLength(3);
    expect(nodesOf(nodesOf(result.content, "orderedList")[0]!, "paragraph").map(textOf)).toEqual([
      "Read the whole text once without stopping.",
      "Read it again with a pencil.",
    ]);
    expect(nodesOf(result.content, "tableCell").map(textOf)).toEqual([
      "Kind",
      "Example",
      "Question",
      "What does “guest” mean here?",
      "Link",
      "Compare the opening paragraph.",
    ]);
    expect(nodesOf(result.content, "blockquote").map(textOf)).toEqual([
      "A text is not finished when it is printed; it is finished when it is read.",
    ]);
    const json = JSON.stringify(result.content);
    expect(json).toContain('{"type":"link","attrs":{"href":"https://example.org/reading"}}');
    expect(json).toContain('"text":"useful","marks":[{"type":"bold"}]');
    expect(result.found).toMatchObject({ sections: 3, notes: 3, tables: 1 });
  });
});

describe("PDF layout", () => {
  it("reads a two-column page column by column", async () => {
    const result = converted(await convert("two-column.pdf"));
    const paragraphs = nodesOf(result.content, "paragraph").map(textOf);
    expectInOrder(paragraphs, [
      "A seminar is a room where a text is read slowly by several people at once.1 Each reader notices something the others passed over, and the margin becomes a conversation.",
      "The margin keeps three kinds of note:",
      "A text is not finished when it is printed; it is finished when it is read.",
    ]);
    expect(nodesOf(result.content, "heading").map(textOf)).toEqual([
      "Why read in company",
      "What the margin keeps",
      "Reading order",
    ]);
  });

  it("recognises footnotes at the page foot and links them to their superscripts", async () => {
    const result = converted(await convert("notes.pdf"));
    expect(nodesOf(result.content, "footnote").map(textOf)).toEqual([
      "The word comes from the Latin seminarium, a seed plot.",
      "On the medieval lectio see any history of the universities.",
      "The address is an example and does not exist.",
    ]);
    expect(nodesOf(result.content, "paragraph").map(textOf)).toContain(
      "A seminar is a room where a text is read slowly by several people at once. Each reader notices something the others passed over, and the margin becomes a conversation.",
    );
  });
});

describe("EPUB chapters", () => {
  it("lists the chapters and converts only the chosen ones", async () => {
    const all = converted(await convert("notes.epub"));
    expect(all.chapters?.map((c) => c.title)).toContain("Why read in company");
    const index = all.chapters!.find((c) => c.title === "Why read in company")!.index;
    const others = all.chapters!.filter((c) => c.index !== index).map((c) => c.index);
    const one = await runConversion(
      { bytes: fixture("notes.epub"), filename: "notes.epub" },
      { chapters: others },
    );
    if (one.ok) expect(nodesOf(one.content, "heading").map(textOf)).not.toContain("Why read in company");
    else expect(one.code).toBe("empty");
  });
});

describe("a book as .epub", () => {
  it("lists its chapters by the book's own names, and converts a range of them on its own", async () => {
    const whole = converted(await convert("book.epub"));
    expect(whole.metadata.title).toBe("A Short Book of Margins");
    expect(whole.chapters).toEqual([
      { title: "Title Page", index: 0 },
      { title: "The Reader’s Pencil", index: 1 },
      { title: "Reading in Company", index: 2 },
      { title: "The Return to the Text", index: 3 },
    ]);
    const range = converted(
      await runConversion({ bytes: fixture("book.epub"), filename: "book.epub" }, { chapters: [2, 3] }),
    );
    const text = documentTextOf(range.content).plainText;
    expect(text).not.toContain("oldest annotation tool");
    const positions = [
      "When several people read the same pages",
      "A seminar is a room where a text is read slowly",
      "Annotations are worth most when they send us back",
      "notice what the others saw first",
    ].map((phrase) => text.indexOf(phrase));
    expect(positions.every((at, i) => at >= 0 && (i === 0 || at > positions[i - 1]!))).toBe(true);
    // The chapter's note came along, linked.
    expect(nodesOf(range.content, "footnoteReference")).toHaveLength(1);
    expect(text).toContain("Every reading group discovers this in its first week.");
    expect(nodesOf(range.content, "heading").map(textOf)).toEqual([
      "Reading in Company",
      "The seminar",
      "The Return to the Text",
      "A second reading",
    ]);
  });
});
