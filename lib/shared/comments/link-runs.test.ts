import { describe, expect, it } from "vitest";
import type { CommentInline } from "./comment-body";
import { linkRuns } from "./link-runs";

const text = (value: string, href?: string, bold = false): CommentInline => ({
  type: "text",
  text: value,
  ...(href || bold
    ? {
        marks: [
          ...(href ? [{ type: "link", attrs: { href } } as const] : []),
          ...(bold ? [{ type: "bold" } as const] : []),
        ],
      }
    : {}),
});
const br: CommentInline = { type: "hardBreak" };

describe("linkRuns", () => {
  it.each<[string, CommentInline[], [string | null, number, number][]]>([
    ["nothing", [], []],
    [
      "plain runs, one a run",
      [text("a"), br, text("b")],
      [
        [null, 1, 0],
        [null, 1, 1],
        [null, 1, 2],
      ],
    ],
    [
      "one link over runs of different emphasis, joined",
      [text("a "), text("x", "https://x.example"), text("y", "https://x.example", true), text(" b")],
      [
        [null, 1, 0],
        ["https://x.example", 2, 1],
        [null, 1, 3],
      ],
    ],
    [
      "two links side by side, apart",
      [text("x", "https://x.example"), text("y", "https://y.example")],
      [
        ["https://x.example", 1, 0],
        ["https://y.example", 1, 1],
      ],
    ],
    [
      "the same link on both sides of a line break, apart",
      [text("x", "https://x.example"), br, text("y", "https://x.example")],
      [
        ["https://x.example", 1, 0],
        [null, 1, 1],
        ["https://x.example", 1, 2],
      ],
    ],
  ])("cuts %s", (_name, content, expected) => {
    expect(linkRuns(content).map((run) => [run.href, run.nodes.length, run.start])).toEqual(expected);
  });
});
