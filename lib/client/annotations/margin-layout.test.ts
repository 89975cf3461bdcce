import { describe, expect, it } from "vitest";
import {
  DENSE_AT,
  groupThreads,
  itemsInBand,
  layoutCards,
  type CardBox,
  type MarginItem,
} from "./margin-layout";

const card = (id: string, desiredTop: number, height = 100): CardBox => ({ id, desiredTop, height });

/** No two cards overlap (with the gap between them). */
function assertNoOverlap(cards: CardBox[], tops: Map<string, number>, gap = 10) {
  const placed = cards.map((c) => ({
    top: tops.get(c.id) as number,
    bottom: (tops.get(c.id) as number) + c.height,
  }));
  placed.sort((a, b) => a.top - b.top);
  for (let i = 1; i < placed.length; i++)
    expect(placed[i]!.top).toBeGreaterThanOrEqual(placed[i - 1]!.bottom + gap);
}

describe("placing margin cards", () => {
  it.each<[string, CardBox[], Record<string, number>]>([
    [
      "far apart: each level with its passage",
      [card("a", 0), card("b", 500), card("c", 1000)],
      { a: 0, b: 500, c: 1000 },
    ],
    [
      "two on one line: the second pushed below the first",
      [card("a", 100), card("b", 100)],
      { a: 100, b: 210 },
    ],
    [
      "a cascade: each pushed by the one above",
      [card("a", 0), card("b", 50), card("c", 60, 50)],
      { a: 0, b: 110, c: 220 },
    ],
    ["order follows the passages, not the input", [card("b", 300), card("a", 0)], { a: 0, b: 300 }],
  ])("%s", (_name, cards, expected) => {
    const tops = layoutCards(cards);
    expect(Object.fromEntries(tops)).toEqual(expected);
    assertNoOverlap(cards, tops);
  });

  it("pulls the focused card level with its passage and moves the ones above it up", () => {
    const cards = [card("a", 100), card("b", 120), card("c", 140)];
    const tops = layoutCards(cards, { activeId: "c" });
    expect(tops.get("c")).toBe(140);
    expect(tops.get("b")).toBe(30);
    expect(tops.get("a")).toBe(-80);
    assertNoOverlap(cards, tops);
  });

  it("keeps cards below the focused one clear of it", () => {
    const cards = [card("a", 100), card("b", 120), card("c", 140)];
    const tops = layoutCards(cards, { activeId: "a" });
    expect(Object.fromEntries(tops)).toEqual({ a: 100, b: 210, c: 320 });
  });

  it("starts a card whose passage lies above the container at the floor, moving only the cards it meets", () => {
    // The first passage is 300 px above the cards' container (the margin's tools sit there);
    // the other cards stay level with their passages.
    const cards = [card("a", -300), card("b", 40), card("c", 600), card("d", 1200)];
    const tops = layoutCards(cards, { floor: 0 });
    expect(Object.fromEntries(tops)).toEqual({ a: 0, b: 110, c: 600, d: 1200 });
    assertNoOverlap(cards, tops);
  });

  it("keeps the cards above a focused one inside the container, leaving it level when there is room", () => {
    const cards = [card("a", -300), card("b", 400), card("c", 420)];
    const tops = layoutCards(cards, { activeId: "c", floor: 0 });
    expect(tops.get("c")).toBe(420);
    expect(tops.get("b")).toBe(310);
    expect(tops.get("a")).toBe(0);
    assertNoOverlap(cards, tops);
  });

  it("moves a focused card down only as far as the cards above it need", () => {
    const cards = [card("a", -300), card("b", -200), card("c", 100)];
    const tops = layoutCards(cards, { activeId: "c", floor: 0 });
    expect(Object.fromEntries(tops)).toEqual({ a: 0, b: 110, c: 220 });
    assertNoOverlap(cards, tops);
  });

  it("places no card above the floor and none over another, for many random cards, focused or not", () => {
    let seed = 11;
    const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const cards = Array.from({ length: 80 }, (_, i) =>
      card(`c${i}`, Math.floor(next() * 4000) - 500, 40 + Math.floor(next() * 200)),
    );
    for (const activeId of [null, "c0", "c40", "c79"]) {
      const tops = layoutCards(cards, { activeId, floor: 0 });
      expect(Math.min(...tops.values())).toBeGreaterThanOrEqual(0);
      assertNoOverlap(cards, tops);
      // Unfocused, every card sits at or below its passage.
      if (activeId === null)
        for (const c of cards) expect(tops.get(c.id)).toBeGreaterThanOrEqual(c.desiredTop);
    }
  });

  it("never overlaps, for many random cards, focused or not", () => {
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const cards = Array.from({ length: 60 }, (_, i) =>
      card(`c${i}`, Math.floor(next() * 3000), 40 + Math.floor(next() * 200)),
    );
    assertNoOverlap(cards, layoutCards(cards));
    assertNoOverlap(cards, layoutCards(cards, { activeId: "c30" }));
  });
});

describe("grouping a dense paragraph's threads", () => {
  const at = (id: string, from: number, block: number) => ({ id, from, block });

  it("keeps threads of sparse paragraphs as their own cards", () => {
    const items = groupThreads([at("a", 1, 0), at("b", 5, 0), at("c", 40, 1)], new Set());
    expect(items.map((item) => [item.key, item.isStack])).toEqual([
      ["a", false],
      ["b", false],
      ["c", false],
    ]);
  });

  it(`stacks a paragraph with ${DENSE_AT} or more threads into one item, at its first passage`, () => {
    const dense = Array.from({ length: 38 }, (_, i) => at(`t${i}`, 10 + i, 2));
    const items = groupThreads([at("a", 1, 0), ...dense, at("z", 200, 3)], new Set());
    expect(items.map((item) => item.key)).toEqual(["a", "block:2", "z"]);
    const stack = items[1] as MarginItem;
    expect(stack).toMatchObject({ from: 10, isStack: true, denseBlock: 2 });
    expect(stack.threadIds).toHaveLength(38);
  });

  it("lays an expanded paragraph's threads out one by one, marked with their block", () => {
    const dense = Array.from({ length: 5 }, (_, i) => at(`t${i}`, 10 + i, 2));
    const items = groupThreads(dense, new Set([2]));
    expect(items.map((item) => [item.key, item.denseBlock])).toEqual(dense.map((thread) => [thread.id, 2]));
  });
});

describe("choosing the items to render", () => {
  const item = (key: string): MarginItem => ({
    key,
    from: 0,
    threadIds: [key],
    isStack: false,
    denseBlock: null,
  });

  it("renders the items meeting the band, and the focused one wherever it is", () => {
    const items = Array.from({ length: 10_000 }, (_, i) => item(`c${i}`));
    const tops = new Map(items.map((entry, i) => [entry.key, i * 100]));
    const shown = itemsInBand(items, tops, () => 90, { top: 5_000, bottom: 6_000 }, new Set(["c9000"]));
    expect(shown.map((entry) => entry.key)).toEqual([
      ...Array.from({ length: 11 }, (_, i) => `c${50 + i}`),
      "c9000",
    ]);
  });
});
