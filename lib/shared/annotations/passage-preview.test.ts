import type { JSONContent } from "@tiptap/core";
import { describe, expect, it } from "vitest";
import { buildReadingHeader } from "../documents/reading-content";
import { markPassages, previewThreads, type PassagePreview } from "./passage-preview";

const FIRST = "The raging dogs that must be brought down.";
const SECOND = "A planet with no visa, a guest of the revolution.";
const content: JSONContent = {
  type: "doc",
  content: [
    ...buildReadingHeader({ title: "Guest", byline: "", source: "", date: null }),
    { type: "paragraph", content: [{ type: "text", text: FIRST }] },
    { type: "paragraph", content: [{ type: "text", text: SECOND }] },
  ],
};
/** The plain text as text-index.ts counts it: the title, then each block after a "\n". */
const TEXT = `Guest\n${FIRST}\n${SECOND}`;

function passage(id: string, exact: string, overrides: Partial<PassagePreview> = {}): PassagePreview {
  const start = TEXT.indexOf(exact);
  return {
    id,
    kind: "COMMENT",
    authorName: "Ada",
    categoryId: null,
    color: null,
    createdAt: `2026-12-0${id.length}T10:00:00.000Z`,
    anchor: {
      start: "",
      end: "",
      quote: { exact, prefix: TEXT.slice(Math.max(0, start - 32), start), suffix: "" },
      position: { start, end: start + exact.length },
    },
    ...overrides,
  };
}

/** Each marked text run: its words and the mark's attributes. */
function marked(json: JSONContent): { text: string; attrs: Record<string, unknown> }[] {
  const runs: { text: string; attrs: Record<string, unknown> }[] = [];
  const visit = (node: JSONContent) => {
    const mark = node.marks?.find((candidate) => candidate.type === "previewHighlight");
    if (node.text && mark) runs.push({ text: node.text, attrs: mark.attrs ?? {} });
    node.content?.forEach(visit);
  };
  visit(json);
  return runs;
}

describe("the first paint's highlights (markPassages)", () => {
  it("draws a passage at its offsets, with the live layer's classes", () => {
    const runs = marked(markPassages(content, [passage("a", "raging dogs")]));
    expect(runs).toEqual([
      {
        text: "raging dogs",
        attrs: {
          class: "hl hl-comment hl-preview",
          count: null,
          style: null, // no category: the kind's class colours it
        },
      },
    ]);
  });

  it("cuts overlapping passages into segments, the newest on top, counted where they overlap", () => {
    const older = passage("a", "raging dogs that must", { kind: "HIGHLIGHT" });
    const newer = passage("bb", "dogs that must be brought", { authorName: "Ben" });
    const runs = marked(markPassages(content, [older, newer]));
    expect(runs.map((run) => [run.text, run.attrs.class, run.attrs.count])).toEqual([
      ["raging ", "hl hl-highlight hl-preview", null],
      ["dogs that must", "hl hl-comment hl-multi hl-preview", "2"],
      [" be brought", "hl hl-comment hl-preview", null],
    ]);
    expect(runs[1]?.attrs.style).toBeNull();
  });

  it("finds a passage by its quote when the text before it has changed, and leaves out one not found", () => {
    const moved = passage("a", "a guest of the revolution");
    moved.anchor.position = { start: moved.anchor.position.start - 9, end: moved.anchor.position.end - 9 };
    const gone = passage("bb", "words no longer in the text");
    gone.anchor.position = { start: 10, end: 37 };
    const runs = marked(markPassages(content, [moved, gone]));
    expect(runs.map((run) => run.text)).toEqual(["a guest of the revolution"]);
  });

  it("draws in the title too, which allows few marks of its own", () => {
    const runs = marked(markPassages(content, [passage("a", "Guest")]));
    expect(runs.map((run) => run.text)).toEqual(["Guest"]);
  });

  it("colours a passage by its category and leaves the text as it was when there is nothing to draw", () => {
    const runs = marked(
      markPassages(content, [passage("a", "planet", { categoryId: "c1", color: "#123456" })]),
    );
    expect(runs[0]?.attrs.style).toBe("--hl-color: #123456");
    expect(markPassages(content, [])).toBe(content);
  });

  it("gives the layer threads that carry what a highlight shows", () => {
    const [thread] = previewThreads([
      passage("a", "planet", { kind: "GUIDING_QUESTION", authorName: "Iris" }),
    ]);
    expect(thread).toMatchObject({
      id: "a",
      kind: "GUIDING_QUESTION",
      layer: "seminar",
      author: { name: "Iris" },
      comments: [],
      status: "committed",
    });
  });
});
