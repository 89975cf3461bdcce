import { describe, expect, it } from "vitest";
import type { CommentInline } from "./comment-body";
import { closeUpPunctuation } from "./closing-punctuation";

const tag: CommentInline = { type: "tag", attrs: { name: "close-reading" } };
const mention: CommentInline = { type: "mention", attrs: { id: "u1", label: "Ana Ruiz" } };
const text = (value: string): CommentInline => ({ type: "text", text: value });

describe("closeUpPunctuation", () => {
  it.each<[string, CommentInline[], CommentInline[]]>([
    ["a tag, then the picker's space and a comma", [tag, text(" , then")], [tag, text(", then")]],
    ["a mention, then the picker's space and a full stop", [mention, text(" .")], [mention, text(".")]],
    [
      "each of ; : ! ? ) ]",
      [tag, text(" ;"), tag, text(" :"), tag, text(" !"), tag, text(" ?"), tag, text(" )"), tag, text(" ]")],
      [tag, text(";"), tag, text(":"), tag, text("!"), tag, text("?"), tag, text(")"), tag, text("]")],
    ],
    [
      "a bold run keeps its marks",
      [tag, { type: "text", text: " ,", marks: [{ type: "bold" }] }],
      [tag, { type: "text", text: ",", marks: [{ type: "bold" }] }],
    ],
  ])("closes up %s", (_name, content, expected) => {
    expect(closeUpPunctuation(content)).toEqual(expected);
  });

  it.each<[string, CommentInline[]]>([
    ["a space before a word", [tag, text(" and more")]],
    ["punctuation with no space", [tag, text(", then")]],
    ["two spaces (typed on purpose)", [tag, text("  ,")]],
    ["a no-break space, as French typography puts before a question mark", [tag, text("\u00a0?")]],
    ["a space and punctuation after text, not after a tag", [text("see #this"), text(" ,")]],
    ["a space and punctuation after a line break", [tag, { type: "hardBreak" }, text(" ,")]],
  ])("leaves %s as it is", (_name, content) => {
    expect(closeUpPunctuation(content)).toBe(content);
  });
});
