import { describe, expect, it } from "vitest";
import { type CommentBlock, type CommentBody } from "./comment-body";
import { sanitizeCommentBody } from "./sanitize-comment-body";
import { MAX_READ_DEPTH, readCommentBody } from "./read-comment-body";

const doc = (...content: unknown[]) => ({ type: "doc", content });
const p = (...content: unknown[]) => ({ type: "paragraph", content });
const text = (value: string, ...marks: unknown[]) =>
  marks.length > 0 ? { type: "text", text: value, marks } : { type: "text", text: value };
const link = (href: unknown) => ({ type: "link", attrs: { href } });
const typed = (...content: CommentBlock[]): CommentBody => ({ type: "doc", content });
const para = (value: string): CommentBlock => ({
  type: "paragraph",
  content: [{ type: "text", text: value }],
});

describe("readCommentBody", () => {
  it.each<[string, unknown, CommentBody]>([
    ["null", null, typed()],
    ["a string", "<p>hi</p>", typed()],
    ["a number", 42, typed()],
    ["an array", [p(text("hi"))], typed()],
    ["an object without content", { type: "doc" }, typed()],
    ["content that is not an array", { type: "doc", content: "<p>hi</p>" }, typed()],
    ["nodes that are not objects", doc("<p>hi</p>", null, 3, p(text("kept"))), typed(para("kept"))],
    [
      "a root of another type (read for its content)",
      { type: "weird", content: [p(text("hi"))] },
      typed(para("hi")),
    ],
  ])("reads %s as what it can", (_name, input, expected) => {
    expect(readCommentBody(input)).toEqual(expected);
  });

  it.each<[string, unknown, CommentBody]>([
    [
      "an unknown block, as a paragraph of its text",
      doc({ type: "heading", content: [text("Title")] }),
      typed(para("Title")),
    ],
    ["raw HTML, as its text", doc({ type: "rawHtml", content: [text("<iframe>")] }), typed(para("<iframe>"))],
    [
      "an unknown block without text, as an empty paragraph",
      doc({ type: "image" }),
      typed({ type: "paragraph" }),
    ],
    ["text at block level, as a paragraph", doc(text("loose")), typed(para("loose"))],
    [
      "a list item outside a list, as its text",
      doc({ type: "listItem", content: [p(text("a"))] }),
      typed(para("a")),
    ],
    [
      "an unknown inline, as a plain run",
      doc(p(text("a "), { type: "mention", content: [text("@ana")] })),
      typed({
        type: "paragraph",
        content: [
          { type: "text", text: "a " },
          { type: "text", text: "@ana" },
        ],
      }),
    ],
    [
      "a text node without a string, as its (empty) text: dropped",
      doc(p({ type: "text", text: 3 }, text("b"))),
      typed(para("b")),
    ],
    ["empty text runs, dropped", doc(p(text(""), text("b"))), typed(para("b"))],
    [
      "line breaks inside an unknown block, as newlines",
      doc({ type: "callout", content: [text("a"), { type: "hardBreak" }, text("b")] }),
      typed(para("a\nb")),
    ],
    [
      "a list whose children are not items, as items of their text",
      doc({ type: "bulletList", content: [p(text("x"))] }),
      typed({ type: "bulletList", content: [{ type: "listItem", content: [para("x")] }] }),
    ],
  ])("reads %s", (_name, input, expected) => {
    expect(readCommentBody(input)).toEqual(expected);
  });

  it.each<[string, unknown, string | null]>([
    ["https", "https://example.org/a", "https://example.org/a"],
    ["http", "http://example.org", "http://example.org"],
    ["mailto", "mailto:ana@example.org", "mailto:ana@example.org"],
    ["javascript:", "javascript:alert(1)", null],
    ["javascript: behind a space and mixed case", " JaVaScRiPt:alert(2)", null],
    ["javascript: split by a tab", "java\tscript:alert(1)", null],
    ["data:", "data:text/html,<script>alert(1)</script>", null],
    ["a relative href", "/seminars/1", null],
    ["a number", 7, null],
    ["no href at all", undefined, null],
  ])("keeps a link to %s only when it is safe", (_name, href, kept) => {
    const read = readCommentBody(doc(p(text("here", link(href), { type: "bold" }))));
    expect(read).toEqual(
      typed({
        type: "paragraph",
        content: [
          {
            type: "text",
            text: "here",
            marks:
              kept === null
                ? [{ type: "bold" }]
                : [{ type: "link", attrs: { href: kept } }, { type: "bold" }],
          },
        ],
      }),
    );
  });

  it.each<[string, unknown[], unknown]>([
    [
      "bold, italic and a link, in the order link, bold, italic",
      [{ type: "italic" }, { type: "bold" }, link("https://a.example")],
      [{ type: "link", attrs: { href: "https://a.example" } }, { type: "bold" }, { type: "italic" }],
    ],
    ["unknown marks, dropped", [{ type: "underline" }, { type: "code" }], undefined],
    ["repeated marks, once", [{ type: "bold" }, { type: "bold" }], [{ type: "bold" }]],
    ["marks that are not objects, dropped", ["bold", null], undefined],
  ])("reads marks: %s", (_name, marks, expected) => {
    const node = readCommentBody(doc(p({ type: "text", text: "x", marks }))).content[0];
    expect(node).toEqual({
      type: "paragraph",
      content: [expected ? { type: "text", text: "x", marks: expected } : { type: "text", text: "x" }],
    });
  });

  it.each<[string, unknown, { start: number } | undefined]>([
    ["3", 3, { start: 3 }],
    ["0", 0, { start: 0 }],
    ["1 (the default)", 1, undefined],
    ["a negative number", -2, undefined],
    ["a fraction", 2.5, undefined],
    ["a string", "4", undefined],
  ])("reads an ordered list starting at %s", (_name, start, attrs) => {
    const list = readCommentBody(
      doc({
        type: "orderedList",
        attrs: { start },
        content: [{ type: "listItem", content: [p(text("a"))] }],
      }),
    ).content[0];
    expect(list).toEqual({
      type: "orderedList",
      ...(attrs ? { attrs } : {}),
      content: [{ type: "listItem", content: [para("a")] }],
    });
  });

  it("flattens nesting deeper than its cap to text, without exhausting the stack", () => {
    let node: unknown = p(text("deep"));
    for (let i = 0; i < 100_000; i++) node = { type: "blockquote", content: [node] };
    const read = readCommentBody(doc(node));
    let depth = 0;
    let block = read.content[0] as CommentBlock;
    while (block.type === "blockquote") {
      depth += 1;
      block = block.content[0] as CommentBlock;
    }
    expect(depth).toBe(MAX_READ_DEPTH);
    // The text beyond the cap is itself too deep to reach: what is left is an empty paragraph.
    expect(block).toEqual({ type: "paragraph" });
  });

  it("keeps the text of a block just past the cap", () => {
    let node: unknown = p(text("deep"));
    for (let i = 0; i < MAX_READ_DEPTH; i++) node = { type: "blockquote", content: [node] };
    let block = readCommentBody(doc(node)).content[0] as CommentBlock;
    while (block.type === "blockquote") block = block.content[0] as CommentBlock;
    expect(block).toEqual(para("deep"));
  });

  it.each([
    [
      "a paragraph with marks and breaks",
      doc(
        p(
          text("a", link("https://x.example"), { type: "italic" }),
          { type: "hardBreak" },
          text("b", { type: "bold" }),
        ),
      ),
    ],
    [
      "nested lists and quotes",
      doc({
        type: "blockquote",
        content: [
          p(text("q")),
          {
            type: "bulletList",
            content: [
              {
                type: "listItem",
                content: [
                  p(text("i")),
                  {
                    type: "orderedList",
                    attrs: { start: 4 },
                    content: [{ type: "listItem", content: [p(text("j"))] }],
                  },
                ],
              },
            ],
          },
        ],
      }),
    ],
    ["empty paragraphs between others", doc(p(text("a")), { type: "paragraph" }, p(text("b")))],
  ])("returns a sanitized body (%s) as it is", (_name, input) => {
    const { body } = sanitizeCommentBody(input);
    expect(readCommentBody(body)).toEqual(body);
  });
});
