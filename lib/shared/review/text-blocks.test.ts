import { describe, expect, it } from "vitest";
import { buildTextIndex } from "../anchors/text-index";
import { readingDocFromJSON } from "../schema/reading-schema";
import { blockIndexAt, listTextBlocks } from "./text-blocks";

const doc = readingDocFromJSON({
  type: "doc",
  content: [
    { type: "title", content: [{ type: "text", text: "A Title" }] },
    { type: "byline", content: [{ type: "text", text: "An Author" }] },
    {
      type: "paragraph",
      content: [
        { type: "text", text: "First " },
        { type: "text", text: "words", marks: [{ type: "italic" }] },
        { type: "footnoteReference", attrs: { number: 1 } },
        { type: "text", text: " here." },
      ],
    },
    { type: "blockquote", content: [{ type: "paragraph", content: [{ type: "text", text: "Quoted." }] }] },
    { type: "paragraph", content: [{ type: "text", text: "Last." }] },
    {
      type: "footnotes",
      content: [
        {
          type: "footnote",
          attrs: { number: 1 },
          content: [{ type: "paragraph", content: [{ type: "text", text: "A note." }] }],
        },
      ],
    },
  ],
});

describe("listTextBlocks", () => {
  const blocks = listTextBlocks(doc);

  it("lists every text block with its kind and label", () => {
    expect(blocks.map((block) => [block.kind, block.label])).toEqual([
      ["title", "Title"],
      ["byline", "Byline"],
      ["paragraph", "Paragraph 1"],
      ["quote", "Paragraph 2 (block quote)"],
      ["paragraph", "Paragraph 3"],
      ["note", "Note 1"],
    ]);
  });

  it("counts plain-text offsets exactly as the text index does", () => {
    const { text } = buildTextIndex(doc);
    for (const block of blocks) {
      const plain = block.segments.map((segment) => ("text" in segment ? segment.text : "")).join("");
      expect(text.slice(block.textStart, block.textEnd)).toBe(plain);
    }
    expect(blocks[blocks.length - 1]?.textEnd).toBe(text.length);
  });

  it("keeps marks and footnote references as segments", () => {
    expect(blocks[2]?.segments).toEqual([
      { text: "First " },
      { text: "words", italic: true },
      { noteRef: 1 },
      { text: " here." },
    ]);
  });

  it("finds the block of an offset", () => {
    const { text } = buildTextIndex(doc);
    expect(blockIndexAt(blocks, 0)).toBe(0);
    expect(blockIndexAt(blocks, text.indexOf("Quoted."))).toBe(3);
    expect(blockIndexAt(blocks, text.indexOf("note."))).toBe(5);
    expect(blockIndexAt(blocks, -1)).toBeNull();
  });
});
