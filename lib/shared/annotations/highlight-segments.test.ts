import { describe, expect, it } from "vitest";
import { textToCommentBody } from "../comments/comment-body";
import { highlightSegments, type PlacedThread } from "./highlight-segments";
import type { Thread } from "./threads";

let created = 0;
function placed(id: string, from: number, to: number): PlacedThread {
  created++;
  const thread = {
    id,
    kind: "COMMENT",
    layer: "shared",
    author: { id: "u1", name: "Ana" },
    categoryId: null,
    createdAt: `2026-12-01T10:00:${String(created).padStart(2, "0")}.000Z`,
    comments: [{ id: `${id}-c`, body: textToCommentBody("a note") }],
  } as unknown as Thread;
  return { thread, from, to };
}

/** Each segment as `from-to:count` (its own count of annotations) and its tag, if any. */
function drawn(threads: PlacedThread[]) {
  return highlightSegments(threads, {}).map((segment) => ({
    at: `${segment.from}-${segment.to}`,
    over: segment.attrs["data-annotations"].split(" ").length,
    tag: segment.attrs["data-count"] ?? null,
  }));
}

describe("how many annotations overlap: one tag per overlapping run", () => {
  it("tags no passage that stands alone", () => {
    expect(drawn([placed("a", 0, 5), placed("b", 10, 15)]).map((segment) => segment.tag)).toEqual([
      null,
      null,
    ]);
  });

  it("tags the first overlapped segment with the run's largest count, once", () => {
    // a: 0-30; b: 5-25; c: 10-20 — under 1, 2, 3, 2, 1 annotations.
    expect(drawn([placed("a", 0, 30), placed("b", 5, 25), placed("c", 10, 20)])).toEqual([
      { at: "0-5", over: 1, tag: null },
      { at: "5-10", over: 2, tag: "3" },
      { at: "10-20", over: 3, tag: null },
      { at: "20-25", over: 2, tag: null },
      { at: "25-30", over: 1, tag: null },
    ]);
  });

  it("starts a new run after a segment under one annotation, or a gap", () => {
    // Under 2 (0-5), 1 (5-10), 2 (10-15); then, apart, 2 (20-25).
    const segments = drawn([
      placed("a", 0, 15),
      placed("b", 0, 5),
      placed("c", 10, 15),
      placed("d", 20, 25),
      placed("e", 20, 25),
    ]);
    expect(segments.map((segment) => [segment.at, segment.tag])).toEqual([
      ["0-5", "2"],
      ["5-10", null],
      ["10-15", "2"],
      ["20-25", "2"],
    ]);
  });

  it("counts a run that only touches at an end as one run", () => {
    // b ends where c begins, both over a: 2, then 2 again, adjoining.
    const segments = drawn([placed("a", 0, 20), placed("b", 0, 10), placed("c", 10, 20)]);
    expect(segments.map((segment) => [segment.at, segment.tag])).toEqual([
      ["0-10", "2"],
      ["10-20", null],
    ]);
  });
});

describe("a segment's colour", () => {
  it("is its category's when it has one, else its kind's class decides it", () => {
    const question = placed("q", 0, 5);
    (question.thread as { kind: string }).kind = "GUIDING_QUESTION";
    const categorised = placed("k", 10, 15);
    (categorised.thread as { categoryId: string | null }).categoryId = "cat";
    const [first, second] = highlightSegments([question, categorised], { cat: "#123456" });
    expect(first?.attrs.class).toBe("hl hl-question");
    // An inline colour here would override the class's (a question's passage drew in the default colour).
    expect(first?.attrs.style).toBeUndefined();
    expect(second?.attrs.style).toBe("--hl-color: #123456");
  });
});

describe("the layers of a segment: every annotation over it, newest first", () => {
  /** A thread made at `minute` (equal minutes: made at the same moment). */
  function at(id: string, from: number, to: number, minute: number): PlacedThread {
    const thread = {
      id,
      kind: "COMMENT",
      layer: "shared",
      author: { id: `u-${id}`, name: `Author ${id}` },
      categoryId: null,
      createdAt: new Date(Date.UTC(2026, 11, 1, 10, minute)).toISOString(),
      comments: [],
    } as unknown as Thread;
    return { thread, from, to };
  }

  /** What each point's segment must carry, worked out point by point (slow, plainly right). */
  function expected(threads: PlacedThread[], from: number, to: number): string {
    return threads
      .map((entry, index) => ({ entry, index }))
      .filter(({ entry }) => entry.from <= from && entry.to >= to)
      .sort(
        (a, b) =>
          b.entry.thread.createdAt.localeCompare(a.entry.thread.createdAt) ||
          // Made at the same moment: the one placed first (its passage starts first) on top.
          a.entry.from - b.entry.from ||
          a.index - b.index,
      )
      .map(({ entry }) => entry.thread.id)
      .join(" ");
  }

  it("closes no other passage for one whose end comes before its start", () => {
    const segments = highlightSegments([at("a", 0, 20, 1), at("b", 5, 15, 2), at("bad", 12, 8, 3)], {});
    expect(segments.find((segment) => segment.from === 8)?.attrs["data-annotations"]).toBe("b a");
  });

  it("matches a point-by-point reading of random overlapping passages, ties included", () => {
    let seed = 7;
    const random = (below: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % below;
    };
    for (let round = 0; round < 20; round++) {
      const threads: PlacedThread[] = [];
      for (let n = 0; n < 40; n++) {
        const from = random(200);
        threads.push(at(`t${round}-${n}`, from, from + 1 + random(40), random(12)));
      }
      for (const segment of highlightSegments(threads, {})) {
        expect(segment.attrs["data-annotations"], `${segment.from}-${segment.to}`).toBe(
          expected(threads, segment.from, segment.to),
        );
      }
    }
  });
});
