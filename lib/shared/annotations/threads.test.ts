import { describe, expect, it } from "vitest";
import type { CommentBody } from "../comments/comment-body";
import { DEFAULT_FILTER, isVisible, threadTags, type Thread, type ThreadComment } from "./threads";

const me = { id: "me", name: "Me", role: "STUDENT" };
const other = { id: "other", name: "Other", role: "STUDENT" };

const tagged = (...names: string[]): CommentBody => ({
  type: "doc",
  content: [
    {
      type: "paragraph",
      content: [
        { type: "text", text: "x " },
        ...names.map((name) => ({ type: "tag" as const, attrs: { name } })),
      ],
    },
  ],
});

function comment(body: CommentBody | null, overrides: Partial<ThreadComment> = {}): ThreadComment {
  return {
    id: Math.random().toString(36).slice(2),
    parentId: null,
    author: other,
    body,
    createdAt: "2026-12-05T10:00:00.000Z",
    editedAt: null,
    isDeleted: false,
    isHidden: false,
    ...overrides,
  };
}

function thread(overrides: Partial<Thread>): Thread {
  return {
    id: Math.random().toString(36).slice(2),
    kind: "COMMENT",
    layer: "seminar",
    author: other,
    categoryId: null,
    anchor: {
      start: "",
      end: "",
      quote: { exact: "x", prefix: "", suffix: "" },
      position: { start: 0, end: 1 },
    },
    pinned: false,
    resolvedAt: null,
    resolvedByName: null,
    createdAt: "2026-12-05T10:00:00.000Z",
    updatedAt: "2026-12-05T10:00:00.000Z",
    comments: [],
    status: "committed",
    ...overrides,
  };
}

describe("the margin's tag filter", () => {
  const exileInReply = thread({ comments: [comment(tagged()), comment(tagged("exile", "law"))] });
  const lawOnly = thread({ comments: [comment(tagged("law"))], categoryId: "evidence" });
  const hiddenExile = thread({ comments: [comment(null, { isHidden: true })] });
  const myNote = thread({
    layer: "private",
    kind: "NOTE",
    author: me,
    comments: [comment(tagged("exile"), { author: me })],
  });

  it("reads a thread's tags from every comment it holds, each once", () => {
    expect(threadTags(exileInReply)).toEqual(["exile", "law"]);
    expect(threadTags(hiddenExile)).toEqual([]);
  });

  it.each<[string, Thread, string | null, boolean]>([
    ["any tag shows every thread", lawOnly, null, true],
    ["a reply's tag counts", exileInReply, "exile", true],
    ["a thread without the tag is left out", lawOnly, "exile", false],
    ["a hidden comment's words, and tags, are not in the margin", hiddenExile, "exile", false],
    ["my private notes are filtered too", myNote, "exile", true],
    ["my private note without the tag is left out", myNote, "law", false],
  ])("%s", (_, subject, tag, expected) => {
    expect(isVisible(subject, { ...DEFAULT_FILTER, tag }, me.id)).toBe(expected);
  });

  it("works with the other filters: a category and a tag must both match", () => {
    expect(isVisible(lawOnly, { ...DEFAULT_FILTER, tag: "law", categories: ["evidence"] }, me.id)).toBe(true);
    expect(isVisible(lawOnly, { ...DEFAULT_FILTER, tag: "law", categories: ["context"] }, me.id)).toBe(false);
    expect(isVisible(lawOnly, { ...DEFAULT_FILTER, tag: "law", who: "mine" }, me.id)).toBe(false);
  });
});
