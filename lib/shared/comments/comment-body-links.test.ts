import { describe, expect, it } from "vitest";
import { isSafeHref, normalizeLinkInput } from "./comment-body";

describe("isSafeHref", () => {
  const cases: [href: unknown, isSafe: boolean][] = [
    ["https://example.org", true],
    ["http://example.org/path?q=1#frag", true],
    ["HTTPS://EXAMPLE.ORG", true],
    ["https://example.org/a b", true],
    ["mailto:someone@example.org", true],
    ["mailto:someone@example.org?subject=Hello", true],
    ["https://üñí.example/", true],
    ["javascript:alert(1)", false],
    [" JaVaScRiPt:alert(1)", false],
    ["java\tscript:alert(1)", false],
    ["&#106;avascript:alert(1)", false],
    ["data:text/html;base64,PHNjcmlwdD4=", false],
    ["vbscript:msgbox(1)", false],
    ["blob:https://example.org/uuid", false],
    ["tel:+15555555555", false],
    ["/relative", false],
    ["./relative", false],
    ["//example.org", false],
    [" https://example.org", false],
    ["https://example.org ", false],
    ["https://exa mple.org", false],
    ["", false],
    [null, false],
    [42, false],
    [{ toString: () => "https://example.org" }, false],
  ];

  it.each(cases)("%j → %s", (href, isSafe) => {
    expect(isSafeHref(href)).toBe(isSafe);
  });
});

describe("normalizeLinkInput", () => {
  const cases: [input: string, href: string | null][] = [
    ["https://example.org", "https://example.org"],
    ["  http://example.org/x  ", "http://example.org/x"],
    ["example.org", "https://example.org"],
    ["www.example.org/page?x=1", "https://www.example.org/page?x=1"],
    ["example.org:8080/x", "https://example.org:8080/x"],
    ["someone@example.org", "mailto:someone@example.org"],
    ["mailto:someone@example.org", "mailto:someone@example.org"],
    ["javascript:alert(1)", null],
    [" JaVaScRiPt:alert(1)", null],
    ["java\tscript:alert(1)", null],
    ["data:text/html,x", null],
    ["/relative", null],
    ["//example.org", null],
    ["localhost", null],
    ["just words", null],
    ["", null],
  ];

  it.each(cases)("%j → %j", (input, href) => {
    expect(normalizeLinkInput(input)).toBe(href);
  });
});
