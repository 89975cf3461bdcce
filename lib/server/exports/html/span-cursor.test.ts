import { describe, expect, it } from "vitest";
import type { ExportThread } from "../load-export-data";
import { SpanCursor, type Span } from "./text-writer";

/** A small deterministic generator (mulberry32), so a failure can be run again. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function spans(next: () => number, count: number, length: number): Span[] {
  return Array.from({ length: count }, (_, number) => {
    const from = Math.floor(next() * length);
    const to = from + 1 + Math.floor(next() * 40);
    return { thread: { number } as ExportThread, from, to };
  });
}

const numbers = (found: Span[]) => found.map((span) => span.thread.number).sort((a, b) => a - b);

describe("the spans at a position of the annotated copy's text", () => {
  it("are those a search of every span finds, asked in document order as the writer asks", () => {
    for (const seed of [1, 2, 3]) {
      const next = random(seed);
      const all = spans(next, 400, 2000);
      const cursor = new SpanCursor(all);
      const cuts = [...new Set(all.flatMap((span) => [span.from, span.to]))].sort((a, b) => a - b);
      for (let i = 0; i < cuts.length - 1; i++) {
        const from = cuts[i] as number;
        const to = cuts[i + 1] as number;
        expect(numbers(cursor.around(from)), `around ${from}`).toEqual(
          numbers(all.filter((span) => span.from < from && span.to > from)),
        );
        expect(numbers(cursor.over(from, to)), `over ${from}–${to}`).toEqual(
          numbers(all.filter((span) => span.from <= from && span.to >= to)),
        );
      }
    }
  });

  it("are found again when asked out of order", () => {
    const next = random(7);
    const all = spans(next, 200, 500);
    const cursor = new SpanCursor(all);
    for (let i = 0; i < 300; i++) {
      const from = Math.floor(next() * 540);
      const to = from + 1 + Math.floor(next() * 3);
      expect(numbers(cursor.over(from, to)), `over ${from}–${to}`).toEqual(
        numbers(all.filter((span) => span.from <= from && span.to >= to)),
      );
    }
  });
});
