import { describe, expect, it } from "vitest";
import { layoutCards, type CardBox } from "./margin-layout";

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
