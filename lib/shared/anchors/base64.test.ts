import { describe, expect, it } from "vitest";
import { BASE64_PATTERN, decodeBase64, encodeBase64 } from "./base64";

/** A deterministic pseudo-random source (the test's inputs are the same on every run). */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
}

/** What a strict decoder must answer: the pattern's verdict, and the bytes Node's own decoder gives. */
function reference(text: string): Uint8Array | null {
  return BASE64_PATTERN.test(text) ? new Uint8Array(Buffer.from(text, "base64")) : null;
}

describe("base64", () => {
  it("decodes what it encodes, and what Node encodes, at every length to 64 bytes", () => {
    const next = random(7);
    for (let length = 0; length <= 64; length++) {
      for (let run = 0; run < 20; run++) {
        const bytes = Uint8Array.from({ length }, () => Math.floor(next() * 256));
        const text = encodeBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString("base64"));
        expect(decodeBase64(text)).toEqual(bytes);
      }
    }
  });

  it("accepts exactly what the strict pattern accepts, and decodes it as Node does", () => {
    const next = random(11);
    const characters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/==== -_é\n";
    let accepted = 0;
    for (let run = 0; run < 20_000; run++) {
      const length = Math.floor(next() * 14);
      let text = "";
      for (let i = 0; i < length; i++) text += characters[Math.floor(next() * characters.length)];
      const expected = reference(text);
      if (expected) accepted++;
      expect(decodeBase64(text), JSON.stringify(text)).toEqual(expected);
    }
    // The corpus holds both kinds in numbers.
    expect(accepted).toBeGreaterThan(1000);
  });

  it("refuses padding in the middle, too much padding, other alphabets and non-strings", () => {
    for (const text of ["A===", "====", "AB=C", "AB==AAAA", "AAA", "AA-_", "AAé=", "AAAA="])
      expect(decodeBase64(text), text).toBeNull();
    expect(decodeBase64(42 as unknown as string)).toBeNull();
    expect(decodeBase64("")).toEqual(new Uint8Array(0));
  });
});
