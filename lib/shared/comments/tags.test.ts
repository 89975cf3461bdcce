import { describe, expect, it } from "vitest";
import { COMMENT_BODY_MESSAGES, findTags, type CommentBody, type CommentInline } from "./comment-body";
import { sanitizeCommentBody } from "./sanitize-comment-body";
import { tagHashWords } from "./hash-tags";
import { readCommentBody } from "./read-comment-body";
import { normalizeTag, TAG_LIMITS } from "./tags";

const paragraphOf = (...content: unknown[]) => ({ type: "doc", content: [{ type: "paragraph", content }] });
const tag = (name: unknown) => ({ type: "tag", attrs: { name } });
const text = (value: string) => ({ type: "text", text: value });

describe("tag names", () => {
  it.each<[string, string]>([
    ["exile", "exile"],
    ["#Exile", "exile"],
    ["close-reading", "close-reading"],
    ["first_draft", "first_draft"],
    ["Río", "río"],
    ["19th-century", "19th-century"],
    ["ÉCRITURE", "écriture"],
    ["x".repeat(TAG_LIMITS.maxLength), "x".repeat(TAG_LIMITS.maxLength)],
  ])("%s is the tag %s", (input, stored) => expect(normalizeTag(input)).toBe(stored));

  it.each<[string, unknown]>([
    ["empty", ""],
    ["only a #", "#"],
    ["a space", "close reading"],
    ["punctuation", "exile!"],
    ["markup", "<b>x</b>"],
    ["only digits", "1936"],
    ["only - and _", "-_-"],
    ["too long", "x".repeat(TAG_LIMITS.maxLength + 1)],
    ["not a string", 42],
  ])("%s is not a tag", (_, input) => expect(normalizeTag(input)).toBeNull());
});

describe("tag nodes", () => {
  it("are kept in their stored form, read as #name in the plain text, and listed once each", () => {
    const {
      body,
      text: plain,
      tags,
    } = sanitizeCommentBody(
      paragraphOf(text("On "), tag("Exile"), text(" and "), tag("asylum"), text(" "), tag("exile")),
    );
    expect(body.content[0]).toEqual({
      type: "paragraph",
      content: [
        { type: "text", text: "On " },
        { type: "tag", attrs: { name: "exile" } },
        { type: "text", text: " and " },
        { type: "tag", attrs: { name: "asylum" } },
        { type: "text", text: " " },
        { type: "tag", attrs: { name: "exile" } },
      ],
    });
    expect(plain).toBe("On #exile and #asylum #exile");
    expect(tags).toEqual(["exile", "asylum"]);
    expect(findTags(body)).toEqual(["exile", "asylum"]);
  });

  it("are found inside quotes and lists", () => {
    const { tags } = sanitizeCommentBody({
      type: "doc",
      content: [
        { type: "blockquote", content: [{ type: "paragraph", content: [tag("quoted")] }] },
        {
          type: "bulletList",
          content: [{ type: "listItem", content: [{ type: "paragraph", content: [tag("listed")] }] }],
        },
      ],
    });
    expect(tags).toEqual(["quoted", "listed"]);
  });

  it.each<[string, unknown]>([
    ["no attributes", { type: "tag" }],
    ["no name", { type: "tag", attrs: {} }],
    ["a space in the name", tag("close reading")],
    ["markup in the name", tag("<script>")],
    ["only digits", tag("1936")],
    ["a name too long", tag("x".repeat(TAG_LIMITS.maxLength + 1))],
  ])("are refused with %s", (_, node) => {
    expect(() => sanitizeCommentBody(paragraphOf(text("x "), node))).toThrow(COMMENT_BODY_MESSAGES.tag);
  });

  it("are refused beyond the limit of different tags in one comment, repeats not counted", () => {
    const many = Array.from({ length: TAG_LIMITS.maxPerComment }, (_, i) => tag(`t${i}`));
    expect(sanitizeCommentBody(paragraphOf(...many, tag("t0"))).tags).toHaveLength(TAG_LIMITS.maxPerComment);
    expect(() => sanitizeCommentBody(paragraphOf(...many, tag("one-more")))).toThrow(
      COMMENT_BODY_MESSAGES.tooManyTags,
    );
  });

  it("count as something said, and keep no marks", () => {
    const { body } = sanitizeCommentBody(paragraphOf({ ...tag("exile"), marks: [{ type: "bold" }] }));
    expect(body.content[0]).toEqual({
      type: "paragraph",
      content: [{ type: "tag", attrs: { name: "exile" } }],
    });
  });

  it("read leniently: a well-formed tag is kept (normalised), a malformed one is read as its text", () => {
    const read = readCommentBody(
      paragraphOf(tag("Exile"), text(" "), { type: "tag", attrs: { name: "a b" } }),
    );
    expect(read.content[0]).toEqual({
      type: "paragraph",
      content: [
        { type: "tag", attrs: { name: "exile" } },
        { type: "text", text: " " },
      ],
    });
  });
});

describe("#words typed as text", () => {
  const inlinesOfFirst = (body: CommentBody): CommentInline[] =>
    body.content[0]?.type === "paragraph" ? (body.content[0].content ?? []) : [];

  it("become tags when they are tags, wherever they stand in a run", () => {
    const { body } = sanitizeCommentBody(
      paragraphOf(text("#Exile, then asylum #1936 and C# #close-reading.")),
    );
    expect(inlinesOfFirst(tagHashWords(body))).toEqual([
      { type: "tag", attrs: { name: "exile" } },
      { type: "text", text: ", then asylum #1936 and C# " },
      { type: "tag", attrs: { name: "close-reading" } },
      { type: "text", text: "." },
    ]);
  });

  it("keep a run's emphasis and leave linked text alone", () => {
    const { body } = sanitizeCommentBody(
      paragraphOf(
        { type: "text", text: "see #exile", marks: [{ type: "italic" }] },
        { type: "text", text: " #linked", marks: [{ type: "link", attrs: { href: "https://example.org" } }] },
      ),
    );
    expect(inlinesOfFirst(tagHashWords(body))).toEqual([
      { type: "text", text: "see ", marks: [{ type: "italic" }] },
      { type: "tag", attrs: { name: "exile" } },
      { type: "text", text: " #linked", marks: [{ type: "link", attrs: { href: "https://example.org" } }] },
    ]);
  });

  it("leave a body without #words as it was", () => {
    const { body } = sanitizeCommentBody(paragraphOf(text("Nothing to tag here.")));
    expect(tagHashWords(body)).toEqual(body);
  });
});
