import { describe, expect, it } from "vitest";
import {
  ZSafeText,
  disallowedCharacterMessage,
  findDisallowedCharacter,
  findDisallowedInUrl,
  findDisallowedText,
} from "./text";

describe("findDisallowedCharacter", () => {
  it.each([
    ["a NUL", "ab\u0000c", { index: 2, codePoint: "U+0000", kind: "null" }],
    ["a lone high surrogate", "a\uD800b", { index: 1, codePoint: "U+D800", kind: "surrogate" }],
    ["a lone high surrogate at the end", "ab\uDBFF", { index: 2, codePoint: "U+DBFF", kind: "surrogate" }],
    ["a lone low surrogate", "\uDC00ab", { index: 0, codePoint: "U+DC00", kind: "surrogate" }],
    [
      "two surrogates in the wrong order",
      "\uDC00\uD800",
      { index: 0, codePoint: "U+DC00", kind: "surrogate" },
    ],
    ["U+FFFE", "x\uFFFE", { index: 1, codePoint: "U+FFFE", kind: "noncharacter" }],
    ["U+FFFF", "\uFFFF", { index: 0, codePoint: "U+FFFF", kind: "noncharacter" }],
    ["U+FDD0", "\uFDD0", { index: 0, codePoint: "U+FDD0", kind: "noncharacter" }],
    ["U+10FFFF", "a\u{10FFFF}", { index: 1, codePoint: "U+10FFFF", kind: "noncharacter" }],
    ["U+1FFFE", "\u{1FFFE}", { index: 0, codePoint: "U+1FFFE", kind: "noncharacter" }],
  ])("finds %s", (_name, value, expected) => {
    expect(findDisallowedCharacter(value)).toEqual(expected);
  });

  it.each([
    ["plain text", "Close reading, together."],
    ["an emoji (a well-formed surrogate pair)", "margin 📝 note"],
    ["accents and other scripts", "Trotsky — Троцкий — 托洛茨基"],
    ["tabs and line breaks", "one\ttwo\r\nthree"],
    ["U+FFFD, the replacement character", "\uFFFD"],
    ["U+FDCF and U+FDF0, beside the noncharacter block", "\uFDCF\uFDF0"],
    ["the empty string", ""],
  ])("allows %s", (_name, value) => {
    expect(findDisallowedCharacter(value)).toBeNull();
  });
});

describe("findDisallowedText", () => {
  it("names the path of a refused character deep in a JSON value", () => {
    const body = { body: { type: "doc", content: [{ type: "paragraph", content: [{ text: "a\u0000" }] }] } };
    expect(findDisallowedText(body)).toMatchObject({
      path: "body.content.0.content.0.text",
      codePoint: "U+0000",
    });
  });

  it("checks object keys too", () => {
    expect(findDisallowedText({ ok: 1, ["bad\uD800"]: 2 })).toMatchObject({
      path: "bad\uD800",
      kind: "surrogate",
    });
  });

  it("passes numbers, booleans, null and clean strings", () => {
    expect(findDisallowedText({ a: [1, true, null, "fine"], b: { c: "also fine" } })).toBeNull();
  });
});

describe("ZSafeText", () => {
  it("refuses with a message naming the field and the code point", () => {
    const result = ZSafeText("Display name").safeParse("Ada\u0000");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      "Display name contains a character that is not allowed (U+0000, a null character).",
    );
  });

  it("keeps the string's other rules", () => {
    const schema = ZSafeText("Title").trim().min(1, "Give a title.");
    expect(schema.safeParse("  ").error?.issues[0]?.message).toBe("Give a title.");
    expect(schema.parse("  Seminar ")).toBe("Seminar");
  });

  it("words each kind", () => {
    expect(
      disallowedCharacterMessage("Snapshot name", { index: 0, codePoint: "U+DC00", kind: "surrogate" }),
    ).toBe(
      "Snapshot name contains a character that is not allowed (U+DC00, half of a surrogate pair, which is not valid Unicode).",
    );
  });
});

describe("findDisallowedInUrl", () => {
  const at = (path: string) => findDisallowedInUrl(new URL(path, "http://127.0.0.1:3000"));

  it.each([
    [
      "/join/ab%00cd",
      "path",
      "The address contains a character that is not allowed (U+0000, a null character).",
    ],
    ["/join/%ED%A0%80", "path", "The address is not valid UTF-8."],
    ["/join/%FF", "path", "The address is not valid UTF-8."],
    [
      "/review?q=a%00b",
      "q",
      "The query parameter “q” contains a character that is not allowed (U+0000, a null character).",
    ],
    ["/review?q=%ED%B0%80", "q", "The query parameter “q” is not valid UTF-8."],
    [
      "/review?q=%EF%BF%BF",
      "q",
      "The query parameter “q” contains a character that is not allowed (U+FFFF, a Unicode noncharacter).",
    ],
    [
      "/review?a%00=1",
      "a\u0000",
      "A query parameter name contains a character that is not allowed (U+0000, a null character).",
    ],
  ])("refuses %s", (path, part, message) => {
    expect(at(path)).toEqual({ part, message });
  });

  it.each([
    "/",
    "/seminars/abc/readings/def?q=caf%C3%A9+%F0%9F%93%9D&kind=comment",
    "/signin?error=",
    "/x?a&b=%20",
  ])("allows %s", (path) => {
    expect(at(path)).toBeNull();
  });
});
