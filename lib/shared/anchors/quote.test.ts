import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { importText } from "../documents/import-text";
import {
  editDistance,
  matchQuote,
  QUOTE_CONTEXT_LENGTH,
  quoteAt,
  scoreQuoteAt,
  type TextQuote,
} from "./quote";

const ESSAY = importText(
  readFileSync(
    path.resolve(import.meta.dirname, "../../../content/texts/trotsky-guest-of-the-revolution.txt"),
    "utf8",
  ),
).plainText;

/** The quote of the first occurrence of `exact` in the essay, with its real context. */
function essayQuote(exact: string): TextQuote & { start: number } {
  const start = ESSAY.indexOf(exact);
  if (start < 0) throw new Error(`Not in the essay: ${exact}`);
  return { ...quoteAt({ text: ESSAY }, start, start + exact.length), start };
}

describe("quoteAt", () => {
  it("takes the exact text and up to 32 characters each side", () => {
    const quote = essayQuote("Andrei Vyshinsky");
    expect(quote.exact).toBe("Andrei Vyshinsky");
    expect(quote.prefix).toHaveLength(QUOTE_CONTEXT_LENGTH);
    expect(quote.prefix.endsWith("the words that ")).toBe(true);
    expect(quote.suffix.startsWith(", the Soviet Prosecutor")).toBe(true);
  });

  it("takes what context there is at the edges of the text", () => {
    expect(quoteAt({ text: "Trotsky, Guest" }, 0, 7)).toEqual({
      exact: "Trotsky",
      prefix: "",
      suffix: ", Guest",
    });
    expect(quoteAt({ text: "Trotsky, Guest" }, 9, 14)).toEqual({
      exact: "Guest",
      prefix: "Trotsky, ",
      suffix: "",
    });
  });

  it("never cuts a surrogate pair at the context's edges", () => {
    // 32 code units back from the quote lands inside an emoji, on both sides.
    const text = `${"😀".repeat(20)}y quote y${"😀".repeat(20)}`;
    const start = text.indexOf("quote");
    const quote = quoteAt({ text }, start, start + 5);
    expect(quote.prefix).toBe(`${"😀".repeat(15)}y `);
    expect(quote.suffix).toBe(` y${"😀".repeat(15)}`);
  });
});

const TEXT =
  "The State’s control of these important natural resources guaranteed, but only in a partial way, " +
  "the fourth pillar: sovereignty. For there were other aspects of the defense of this pillar.\n" +
  "One of them was the relationship between national sovereignty and solidarity among different nations.";

const UNRELATED =
  "It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of " +
  "foolishness, it was the epoch of belief, it was the epoch of incredulity, it was the season of Light.";

/** A quote of TEXT, its context taken from TEXT. */
function quoteOf(exact: string): TextQuote {
  const start = TEXT.indexOf(exact);
  return quoteAt({ text: TEXT }, start, start + exact.length);
}

/** `exact` with `count` letters, spread evenly, replaced by "#" (which the text never has). */
function blot(exact: string, count: number): string {
  const chars = [...exact];
  for (let i = 0; i < count; i++) chars[Math.floor(((i + 0.5) * chars.length) / count)] = "#";
  return chars.join("");
}

describe("matchQuote, by similarity (as Hypothesis' match-quote tests)", () => {
  const base = quoteOf("the relationship between national sovereignty and solidarity");
  const at = TEXT.indexOf(base.exact);
  const allowed = Math.floor(base.exact.length * 0.2);
  it.each([
    { name: "the same text", exact: base.exact, errors: 0 },
    {
      name: "one letter changed",
      exact: "the relationship between national sovereignty and solidarety",
      errors: 1,
    },
    {
      name: "one letter missing",
      exact: "the relationship between national sovereignty and solidarty",
      errors: 1,
    },
    {
      name: "one letter added",
      exact: "the relationship between nationall sovereignty and solidarity",
      errors: 1,
    },
    {
      name: "a word changed",
      exact: "the relationship between national autonomy and solidarity",
      errors: 10,
    },
    { name: "five letters blotted", exact: blot(base.exact, 5), errors: 5 },
    { name: "a fifth of it blotted", exact: blot(base.exact, allowed), errors: allowed },
  ])("finds a quote with $name", ({ exact, errors }) => {
    const match = matchQuote(TEXT, { ...base, exact }, at);
    expect(match).not.toBeNull();
    expect(match!.errors).toBe(errors);
    expect(match!.start).toBe(at);
    expect(TEXT.slice(match!.start, match!.end)).toBe(base.exact);
  });

  it.each([
    { name: "more than a fifth blotted", exact: blot(base.exact, allowed + 1) },
    { name: "unrelated words", exact: "raging dogs that must be brought down with no pity" },
  ])("finds nothing for $name", ({ exact }) => {
    expect(matchQuote(TEXT, { ...base, exact }, at)).toBeNull();
  });

  it("scores in order of similarity", () => {
    const scores = [0, 1, 3, 6, allowed].map(
      (count) => matchQuote(TEXT, { ...base, exact: blot(base.exact, count) }, at)!.score,
    );
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(new Set(scores).size).toBe(scores.length);
    expect(scores[0]).toBe(1);
  });

  it("finds a blotted quote without its context, but less surely", () => {
    const exact = blot(base.exact, 3);
    const withContext = matchQuote(TEXT, { ...base, exact })!;
    const without = matchQuote(TEXT, { exact, prefix: "", suffix: "" })!;
    expect(without.start).toBe(at);
    expect(without.score).toBeLessThan(withContext.score);
  });

  it("matches short quotes exactly only", () => {
    expect(matchQuote(TEXT, { exact: "pillar", prefix: "", suffix: "" })).not.toBeNull();
    expect(matchQuote(TEXT, { exact: "pilar", prefix: "", suffix: "" })).toBeNull();
    expect(matchQuote(TEXT, { exact: "sovereignti", prefix: "", suffix: "" })).not.toBeNull();
  });

  it("returns null for an empty quote or text", () => {
    expect(matchQuote(TEXT, { exact: "", prefix: "", suffix: "" })).toBeNull();
    expect(matchQuote("", { exact: "pillar", prefix: "", suffix: "" })).toBeNull();
  });

  it("matches across a block separator", () => {
    const quote = quoteOf("this pillar.\nOne of them");
    expect(matchQuote(TEXT, quote)).toMatchObject({ start: TEXT.indexOf("this pillar."), errors: 0 });
    // The two paragraphs merged: the separator is gone.
    const merged = TEXT.replace("pillar.\nOne", "pillar. One");
    expect(matchQuote(merged, quote)).toMatchObject({ start: merged.indexOf("this pillar."), errors: 1 });
  });
});

describe("matchQuote among several candidates", () => {
  it("picks the occurrence whose prefix agrees", () => {
    const quote = quoteOf("sovereignty");
    const second = TEXT.lastIndexOf("sovereignty");
    expect(matchQuote(TEXT, quote)?.start).toBe(TEXT.indexOf("sovereignty"));
    const context = { prefix: "relationship between national ", suffix: " and solidarity among" };
    expect(matchQuote(TEXT, { ...quote, ...context })?.start).toBe(second);
  });

  it("picks the occurrence whose suffix agrees", () => {
    expect(matchQuote(TEXT, { exact: "pillar", prefix: "", suffix: ": sovereignty" })?.start).toBe(
      TEXT.indexOf("pillar"),
    );
    expect(matchQuote(TEXT, { exact: "pillar", prefix: "", suffix: ".\nOne of them" })?.start).toBe(
      TEXT.lastIndexOf("pillar"),
    );
  });

  it("picks the occurrence nearest the hint when the context says nothing", () => {
    const text = "say echo, echo, echo, echo again";
    const quote = { exact: "echo", prefix: ", ", suffix: "," };
    expect(matchQuote(text, quote, 0)?.start).toBe(10);
    expect(matchQuote(text, quote, 17)?.start).toBe(16);
    expect(matchQuote(text, { ...quote, prefix: "" }, 0)?.start).toBe(4);
  });

  it("accepts an exact quote in a strange context, as Hypothesis does", () => {
    const match = matchQuote(TEXT, {
      exact: "national sovereignty",
      prefix: "nothing like this",
      suffix: "nor this",
    });
    expect(match?.start).toBe(TEXT.indexOf("national sovereignty"));
    expect(match!.score).toBeLessThan(0.8);
  });

  it("prefers a close paraphrase where the quote was to an exact copy elsewhere", () => {
    const quote = essayQuote("the Mexican president constituted a beacon");
    const text =
      ESSAY.slice(0, quote.start) +
      "the Mexican President constituted a beacon" +
      ESSAY.slice(quote.start + quote.exact.length) +
      "\nAs they said, the Mexican president constituted a beacon.";
    const match = matchQuote(text, quote, quote.start);
    expect(match).toMatchObject({ start: quote.start, errors: 1 });
  });

  it("snaps an approximate match to the word edges the quote had", () => {
    const quote = essayQuote("the savage, the exotic Mexico that had become famous");
    const text = ESSAY.replace(quote.exact, "The savage, the exotic Mexico which had become famous");
    const match = matchQuote(text, quote, quote.start)!;
    expect(text.slice(match.start, match.end)).toBe("The savage, the exotic Mexico which had become famous");
  });

  it("finds every passage of the essay where it was, and nothing in an unrelated text", () => {
    for (let start = 0; start + 60 <= ESSAY.length; start += 397) {
      const quote = quoteAt({ text: ESSAY }, start, start + 60);
      const match = matchQuote(ESSAY, quote, start);
      expect(match).toMatchObject({ start, end: start + 60, errors: 0 });
      expect(matchQuote(UNRELATED, quote)).toBeNull();
    }
  });
});

describe("scoreQuoteAt", () => {
  it("scores a range as matchQuote scores the same match", () => {
    const quote = quoteOf("the fourth pillar: sovereignty");
    const match = matchQuote(TEXT, quote)!;
    expect(scoreQuoteAt(TEXT, quote, match.start, match.end)).toEqual(match);
    expect(scoreQuoteAt(TEXT, quote, match.start + 4, match.end).score).toBeLessThan(match.score);
  });
});

describe("editDistance", () => {
  it.each([
    ["", "", 5, 0],
    ["abc", "abc", 5, 0],
    ["abc", "abd", 5, 1],
    ["abc", "ab", 5, 1],
    ["ab", "abc", 5, 1],
    ["kitten", "sitting", 5, 3],
    ["sovereignty", "autonomy", 20, 10],
    ["kitten", "sitting", 2, 3],
    ["a".repeat(100), "b".repeat(100), 10, 11],
    ["abcdef", "", 3, 4],
  ])("of %j and %j (at most %d) is %d", (a, b, max, expected) => {
    expect(editDistance(a, b, max)).toBe(expected);
  });

  it("agrees with the full dynamic programme on random strings", () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const word = () =>
      Array.from({ length: Math.floor(random() * 12) }, () => "abc"[Math.floor(random() * 3)]).join("");
    for (let i = 0; i < 300; i++) {
      const a = word();
      const b = word();
      const full = levenshtein(a, b);
      for (const max of [0, 1, 2, 4, 12]) expect(editDistance(a, b, max)).toBe(Math.min(full, max + 1));
    }
  });
});

function levenshtein(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(
        (row[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
        (row[j] as number) + 1,
        (next[j - 1] as number) + 1,
      );
    }
    row = next;
  }
  return row[b.length] as number;
}
