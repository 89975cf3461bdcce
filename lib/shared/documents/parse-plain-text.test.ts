import { readFileSync } from "node:fs";
import path from "node:path";
import type { JSONContent } from "@tiptap/core";
import { renderToHTMLString } from "@tiptap/static-renderer/pm/html-string";
import { describe, expect, it } from "vitest";
import { textOffsetToPos, posToTextOffset, unpackOffsetMap } from "../anchors/text-index";
import { readingExtensions } from "../schema/reading-extensions";
import { readingDocFromJSON } from "../schema/reading-schema";
import { importText } from "./import-text";
import { parsePlainText, parseSourceLine } from "./parse-plain-text";

const ESSAY_PATH = path.resolve(
  import.meta.dirname,
  "../../../content/texts/trotsky-guest-of-the-revolution.txt",
);
const raw = readFileSync(ESSAY_PATH, "utf8");
const essay = importText(raw);
const blocks = essay.content.content ?? [];

/** Text of a node with footnote references written back as "(N)", as in the source file. */
function sourceText(node: JSONContent): string {
  if (node.type === "text") return node.text ?? "";
  if (node.type === "footnoteReference") return `(${String(node.attrs?.number)})`;
  return (node.content ?? []).map(sourceText).join("");
}

/** The body paragraphs of the source file, exactly as written. */
const sourceParagraphs = raw
  .split("\n\n")
  .slice(3)
  .map((block) => block.trim())
  .filter((block) => block && !/^\d+\. /.test(block));

describe("importing the essay", () => {
  it("reads the title, byline and source line", () => {
    expect(essay.title).toBe("Trotsky, Guest of the Revolution");
    expect(essay.byline).toBe("Olivia Gall");
    expect(essay.source).toEqual({
      line: "Against the Current, No. 147, July/August 2010",
      publication: "Against the Current",
      issue: "No. 147",
      date: "July/August 2010",
    });
    expect(blocks.slice(0, 3).map((block) => block.type)).toEqual(["title", "byline", "source"]);
  });

  // Every body block of the essay, in order: how it begins, what it is, which notes it references.
  const expectedBody: [start: string, kind: "paragraph" | "blockquote", refs: number[]][] = [
    ["“INFAMOUS AND IMPOTENT handful", "paragraph", [1]],
    ["The great accused, in absentia", "paragraph", [2]],
    ["Then suddenly, under the incredulous eyes", "paragraph", [3]],
    ["How did this happen?", "paragraph", []],
    ["In exactly five minutes", "paragraph", [4]],
    ["“In regard to our international relations", "blockquote", []],
    ["Why were these basic principles", "paragraph", []],
    ["First, Cárdenas’ position", "paragraph", [5, 6]],
    ["One of these pillars, education", "paragraph", []],
    ["One of them was the relationship", "paragraph", []],
    ["Cárdenas answered him immediately", "paragraph", []],
    ["“absolutely spontaneous and uninterested", "blockquote", []],
    ["Between the end of 1936", "paragraph", []],
    ["In 1938, Trotsky wrote", "paragraph", []],
    ["Throughout Trotsky’s stay in Mexico", "paragraph", []],
    ["Trotsky could always count on Cárdenas’ support", "paragraph", [7]],
  ];
  const body = blocks.slice(3, -1);

  it("accounts for every paragraph and block quote", () => {
    expect(body).toHaveLength(expectedBody.length);
    expect(sourceParagraphs).toHaveLength(expectedBody.length);
  });

  it.each(expectedBody.map((row, index) => [index + 1, ...row] as const))(
    "body block %i starts “%s” and is a %s referencing %j",
    (index, start, kind, refs) => {
      const block = body[index - 1] as JSONContent;
      expect(block.type).toBe(kind);
      const paragraph = kind === "blockquote" ? (block.content?.[0] as JSONContent) : block;
      expect(paragraph.type).toBe("paragraph");
      expect(sourceText(paragraph).startsWith(start)).toBe(true);
      const found = (paragraph.content ?? [])
        .filter((node) => node.type === "footnoteReference")
        .map((node) => node.attrs?.number as number);
      expect(found).toEqual(refs);
    },
  );

  it("keeps every character of every paragraph exactly: quotes, dashes, accents, no-break spaces", () => {
    body.forEach((block, index) => {
      expect(sourceText(block)).toBe(sourceParagraphs[index]);
    });
    const all = body.map(sourceText).join("\n");
    for (const fragment of [
      "“NO.”",
      "— land and oil —",
      "Múgica",
      "[…]",
      "oil, \u00a0was" /* a space and a no-break space, as in the file */,
      "régime",
      "Rühle",
    ]) {
      expect(all + sourceText(blocks.at(-1) as JSONContent)).toContain(fragment);
    }
  });

  it("lists the eight notes in order, with their text exactly, and keeps note 8 without a reference", () => {
    const notes = blocks.at(-1) as JSONContent;
    expect(notes.type).toBe("footnotes");
    const items = notes.content ?? [];
    expect(items.map((item) => item.attrs?.number as number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(items.map((item) => item.attrs?.hasReference as boolean)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      false,
    ]);
    const noteLines = raw
      .split("\n")
      .filter((line) => /^ {2}\d+\. /.test(line))
      .map((line) => line.replace(/^ {2}\d+\. /, ""));
    expect(items.map((item) => sourceText(item))).toEqual(noteLines);
    expect(sourceText(items[7] as JSONContent)).toBe("ATC 147, July-August 2010");
    expect(essay.referencedNotes).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("fits the reading schema", () => {
    expect(() => readingDocFromJSON(essay.content)).not.toThrow();
  });

  it("links each reference to its note and each note back to its reference", () => {
    const html = renderToHTMLString({ content: essay.content, extensions: readingExtensions() });
    for (let n = 1; n <= 7; n++) {
      expect(html).toContain(`<sup class="fn-ref" id="ref-${n}" data-note="${n}"><a href="#note-${n}"`);
      expect(html).toMatch(
        new RegExp(`<li class="footnote" id="note-${n}"[^>]*>.*?<a class="footnote-back" href="#ref-${n}"`),
      );
    }
    expect(html).toContain('id="note-8"');
    expect(html).not.toContain('href="#ref-8"');
    expect(html).not.toContain('id="ref-8"');
  });
});

describe("the plain text and its offset map", () => {
  const doc = readingDocFromJSON(essay.content);
  const runs = unpackOffsetMap(essay.offsetMap);

  it("holds the title, byline and source, then the text without reference markers", () => {
    expect(
      essay.plainText.startsWith("Trotsky, Guest of the Revolution\nOlivia Gall\nAgainst the Current"),
    ).toBe(true);
    expect(essay.plainText).toContain("no pity!” These were");
    expect(essay.plainText).not.toMatch(/\(\d\)/);
    expect(essay.plainText.endsWith("ATC 147, July-August 2010")).toBe(true);
  });

  it("maps every character offset to the position of that same character", () => {
    let checked = 0;
    for (let offset = 0; offset < essay.plainText.length; offset++) {
      const char = essay.plainText[offset];
      if (char === "\n") continue;
      const pos = textOffsetToPos(runs, offset);
      expect(pos, `offset ${offset}`).not.toBeNull();
      expect(doc.textBetween(pos as number, (pos as number) + 1), `offset ${offset}`).toBe(char);
      expect(posToTextOffset(runs, pos as number)).toBe(offset);
      checked++;
    }
    expect(checked).toBe(essay.plainText.replace(/\n/g, "").length);
    expect(checked).toBeGreaterThan(8_000);
  });

  it.each([
    ["Vyshinsky", ", the Soviet Prosecutor"],
    ["Eduardo Hay", ":"],
    ["Fondo Lázaro Cárdenas del Río", ", Expedientes"],
    ["Otto Rühle", ")"],
  ])("maps the quote “%s” to the same words in the document", (quote, after) => {
    const start = essay.plainText.indexOf(quote);
    const from = textOffsetToPos(runs, start) as number;
    const to = textOffsetToPos(runs, start + quote.length) as number;
    expect(doc.textBetween(from, to)).toBe(quote);
    expect(doc.textBetween(to, to + after.length)).toBe(after);
  });
});

describe("files that do not fit the format", () => {
  const header = "A Title\n\nA Journal, No. 1, 2020\n\nAn Author\n\n";
  it.each([
    ["an empty file", "", /^Line 1: expected the title/],
    [
      "no blank line after the title",
      "A Title\nA Journal\n\nAuthor\n\nText.",
      /^Line 2: expected a blank line after the title/,
    ],
    [
      "a header with nothing after it",
      "A Title\n\nA Journal\n\nAuthor\n",
      /^Line \d+: the text has no paragraphs/,
    ],
    ["an indented line in the text", `${header}Text.\n\n   stray indent\n`, /^Line 9: an indented line/],
    [
      "notes out of order",
      `${header}Text.(1)\n\n  1. One.\n  3. Three.\n`,
      /^Line 10: expected note 2, found note 3/,
    ],
    [
      "text after the notes",
      `${header}Text.(1)\n\n  1. One.\n    back to text\nNot a note\n`,
      /^Line 11: text after the notes/,
    ],
    [
      "a note referenced twice",
      `${header}Text.(1) Again.(1)\n\n  1. One.\n`,
      /^Line 7: note 1 is referenced twice/,
    ],
  ])("rejects %s, naming the line", (_name, input, message) => {
    expect(() => parsePlainText(input)).toThrow(message);
  });

  it("accepts another text in the same format", () => {
    const parsed = parsePlainText(
      `${header}“All of this is quoted.” (Someone, 1999)\n\nPlain (2) and f(x) stay text.(1)\n\n  1. Only note.\n    back to text\n`,
    );
    expect(parsed.content.content?.map((node) => node.type)).toEqual([
      "title",
      "byline",
      "source",
      "blockquote",
      "paragraph",
      "footnotes",
    ]);
    expect(sourceText(parsed.content.content?.[4] as JSONContent)).toBe("Plain (2) and f(x) stay text.(1)");
  });

  it.each([
    ["Against the Current, No. 147, July/August 2010", "Against the Current", "No. 147", "July/August 2010"],
    ["The Review, Vol. 3, No. 2, 1999", "The Review", "Vol. 3, No. 2", "1999"],
    ["A Newsletter", "A Newsletter", null, null],
    ["Le Monde, 3 mai 1968", "Le Monde", null, "3 mai 1968"],
  ])("reads the source line “%s”", (line, publication, issue, date) => {
    expect(parseSourceLine(line)).toEqual({ line, publication, issue, date });
  });
});
