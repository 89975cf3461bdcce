import { getSchema } from "@tiptap/core";
import { Node as PMNode } from "@tiptap/pm/model";
import { describe, expect, it } from "vitest";
import {
  COMMENT_BODY_LIMITS,
  type CommentBlock,
  type CommentBody,
  type CommentInline,
  type CommentMark,
} from "@/lib/shared/comments/comment-body";
import { sanitizeCommentBody } from "@/lib/shared/comments/sanitize-comment-body";
import { COMMENT_EXTENSIONS, CommentLink } from "./comment-extensions";

const schema = getSchema(COMMENT_EXTENSIONS);

const text = (value: string, ...marks: CommentMark[]): CommentInline =>
  marks.length > 0 ? { type: "text", text: value, marks } : { type: "text", text: value };
const paragraph = (...content: CommentInline[]): CommentBlock =>
  content.length > 0 ? { type: "paragraph", content } : { type: "paragraph" };
const listItem = (...content: CommentBlock[]) => ({ type: "listItem" as const, content });
const body = (...content: CommentBlock[]): CommentBody => ({ type: "doc", content });
const lineBreak = { type: "hardBreak" } as const;
const href = (address: string): CommentMark => ({ type: "link", attrs: { href: address } });

/** The editor's link check, as Tiptap calls it. */
function allowsLink(url: string): boolean {
  return CommentLink.options.isAllowedUri(url, {
    defaultValidate: () => true,
    protocols: [],
    defaultProtocol: "https",
  });
}

describe("the comment editor's schema", () => {
  it("holds exactly the comment subset's nodes and marks", () => {
    expect(Object.keys(schema.nodes).sort()).toEqual(
      [
        "blockquote",
        "bulletList",
        "doc",
        "hardBreak",
        "listItem",
        "mention",
        "orderedList",
        "paragraph",
        "tag",
        "text",
      ].sort(),
    );
    expect(Object.keys(schema.marks).sort()).toEqual(["bold", "italic", "link"]);
  });

  it.each<[string, CommentBody]>([
    ["one paragraph", body(paragraph(text("Hello")))],
    [
      "bold, italic and a link",
      body(paragraph(text("a", { type: "bold" }), text("b", { type: "italic" }, href("https://e.org")))),
    ],
    [
      "a line break and an empty paragraph",
      body(paragraph(text("one"), lineBreak, text("two")), paragraph()),
    ],
    ["a quote", body({ type: "blockquote", content: [paragraph(text("quoted"))] })],
    [
      "a bullet list with a numbered list inside, starting at 3",
      body({
        type: "bulletList",
        content: [
          listItem(paragraph(text("one")), {
            type: "orderedList",
            attrs: { start: 3 },
            content: [listItem(paragraph(text("three")))],
          }),
        ],
      }),
    ],
    [
      "quotes nested to the depth limit",
      body(
        Array.from({ length: COMMENT_BODY_LIMITS.maxDepth }).reduce<CommentBlock>(
          (inner) => ({ type: "blockquote", content: [inner] }),
          paragraph(text("deep")),
        ),
      ),
    ],
  ])("takes a sanitized body as a valid document: %s", (_name, input) => {
    const node = PMNode.fromJSON(schema, sanitizeCommentBody(input).body);
    expect(() => node.check()).not.toThrow();
  });

  it("writes JSON that the sanitizer accepts, keeping only what the subset knows", () => {
    const input = body(
      paragraph(
        text("see "),
        text("this", href("https://example.org"), { type: "bold" }),
        lineBreak,
        text("ok "),
        { type: "tag", attrs: { name: "exile" } },
      ),
      { type: "orderedList", content: [listItem(paragraph(text("a")))] },
      { type: "orderedList", attrs: { start: 0 }, content: [listItem(paragraph(text("b")))] },
    );
    const fromEditor = PMNode.fromJSON(schema, input).toJSON() as unknown;
    // The editor adds target, rel and class to links and start/type to ordered lists.
    expect(JSON.stringify(fromEditor)).toContain('"target":"_blank","rel":"noopener noreferrer"');
    expect(sanitizeCommentBody(fromEditor).body).toEqual(input);
  });
});

describe("links in the comment editor", () => {
  it.each(["https://example.org/a?b=1", "http://example.org", "mailto:someone@example.org", "example.org"])(
    "allows %s",
    (url) => expect(allowsLink(url)).toBe(true),
  );

  it.each([
    "javascript:alert(1)",
    "ftp://example.org/file",
    "tel:+15550100",
    "/relative/path",
    "data:text/html,x",
  ])("refuses %s", (url) => expect(allowsLink(url)).toBe(false));
});
