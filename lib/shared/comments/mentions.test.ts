import { describe, expect, it } from "vitest";
import {
  COMMENT_BODY_MESSAGES,
  findMentionedUserIds,
  relabelMentions,
  type CommentBody,
} from "./comment-body";
import { sanitizeCommentBody } from "./sanitize-comment-body";
import { readCommentBody } from "./read-comment-body";

const withMention = (attrs: unknown, extra: unknown[] = []) => ({
  type: "doc",
  content: [
    { type: "paragraph", content: [{ type: "text", text: "Ask " }, { type: "mention", attrs }, ...extra] },
  ],
});

describe("mention nodes", () => {
  it("are kept with the person's id and name, and read as @name in the plain text", () => {
    const { body, text } = sanitizeCommentBody(
      withMention({ id: "user_1", label: "  Ada Lovelace ", extra: "dropped" }, [
        { type: "text", text: "?" },
      ]),
    );
    expect(body.content[0]).toEqual({
      type: "paragraph",
      content: [
        { type: "text", text: "Ask " },
        { type: "mention", attrs: { id: "user_1", label: "Ada Lovelace" } },
        { type: "text", text: "?" },
      ],
    });
    expect(text).toBe("Ask @Ada Lovelace?");
    expect(findMentionedUserIds(body)).toEqual(["user_1"]);
  });

  it.each<[string, unknown]>([
    ["no attributes", undefined],
    ["no id", { label: "Ada" }],
    ["an id that is not an id", { id: "a b<script>", label: "Ada" }],
    ["a blank name", { id: "user_1", label: "   " }],
    ["a name too long", { id: "user_1", label: "x".repeat(201) }],
  ])("are refused with %s", (_, attrs) => {
    expect(() => sanitizeCommentBody(withMention(attrs))).toThrow(COMMENT_BODY_MESSAGES.mention);
  });

  it("count as something said: a body of only a mention is not empty", () => {
    const body = {
      type: "doc",
      content: [{ type: "paragraph", content: [{ type: "mention", attrs: { id: "u", label: "Ada" } }] }],
    };
    expect(sanitizeCommentBody(body).text).toBe("@Ada");
  });

  it("are read back from a room as mentions, or as their text when malformed", () => {
    expect(readCommentBody(withMention({ id: "user_1", label: "Ada" })).content[0]).toEqual({
      type: "paragraph",
      content: [
        { type: "text", text: "Ask " },
        { type: "mention", attrs: { id: "user_1", label: "Ada" } },
      ],
    });
    expect(readCommentBody(withMention({ id: "user 1" })).content[0]).toEqual({
      type: "paragraph",
      content: [{ type: "text", text: "Ask " }],
    });
  });

  it("take the current names a renderer knows, and keep theirs otherwise", () => {
    const body = sanitizeCommentBody(
      withMention({ id: "user_1", label: "Ada" }, [
        { type: "mention", attrs: { id: "user_2", label: "Ben" } },
      ]),
    ).body;
    const relabelled: CommentBody = relabelMentions(body, new Map([["user_1", "Ada King"]]));
    expect(sanitizeCommentBody(relabelled).text).toBe("Ask @Ada King@Ben");
  });
});
