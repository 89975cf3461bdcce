import { describe, expect, it } from "vitest";
import { contentsOf, headingAnchorId, nestContents, uniqueAnchorIds } from "./table-of-contents";

const heading = (level: number, text: string) => ({
  type: "heading",
  attrs: { level },
  content: [{ type: "text", text }],
});

describe("the table of contents", () => {
  it("makes an anchor id of a heading's words, in any script", () => {
    expect(headingAnchorId("What the Margin Keeps")).toBe("section-what-the-margin-keeps");
    expect(headingAnchorId("  Cárdenas’s “Pillars” (1936)  ")).toBe("section-cardenas-s-pillars-1936");
    expect(headingAnchorId("Глава первая")).toBe("section-глава-первая");
    expect(headingAnchorId("…")).toBe("section");
  });

  it("lists headings in order, leaves the text's notes out, and nests by level", () => {
    const content = {
      type: "doc",
      content: [
        { type: "title", content: [{ type: "text", text: "A Book" }] },
        heading(2, "One"),
        { type: "blockquote", content: [heading(3, "Quoted")] },
        heading(4, "Deep"),
        heading(2, "Two"),
        heading(3, "   "),
        { type: "footnotes", content: [{ type: "footnote", content: [heading(2, "Not a section")] }] },
      ],
    };
    const entries = contentsOf(content);
    expect(entries.map((entry) => [entry.level, entry.text])).toEqual([
      [2, "One"],
      [3, "Quoted"],
      [4, "Deep"],
      [2, "Two"],
    ]);
    const tree = nestContents(entries);
    expect(tree.map((item) => item.text)).toEqual(["One", "Two"]);
    expect(tree[0]?.children.map((item) => item.text)).toEqual(["Quoted"]);
    expect(tree[0]?.children[0]?.children.map((item) => item.text)).toEqual(["Deep"]);
  });

  it("gives a repeated id a number of its own", () => {
    expect(uniqueAnchorIds(["section-notes", "section-a", "section-notes", "section-notes"])).toEqual([
      "section-notes",
      "section-a",
      "section-notes-2",
      "section-notes-3",
    ]);
  });
});
