import { describe, expect, it } from "vitest";
import { textToCommentBody, type CommentBody } from "../comments/comment-body";
import { roomComments, summarizeThread, toRoomEntries, versionOf } from "./thread-summary";
import type { ProjectedAnnotation, ProjectedComment } from "./types";

function comment(id: string, extra: Partial<ProjectedComment> = {}): ProjectedComment {
  return {
    id,
    annotationId: "a1",
    parentId: null,
    authorId: "u-ada",
    authorName: "Ada",
    authorRole: "STUDENT",
    body: textToCommentBody(`Words of ${id}`),
    createdAt: `2026-12-05T10:00:0${id.length}Z`,
    editedAt: null,
    deletedAt: null,
    hiddenAt: null,
    reactions: { helpful: [], "same-question": [] },
    reactorNames: {},
    ...extra,
  };
}

const tagged = (tag: string): CommentBody => ({
  type: "doc",
  content: [
    {
      type: "paragraph",
      content: [
        { type: "text", text: "On " },
        { type: "tag", attrs: { name: tag } },
      ],
    },
  ],
});

describe("versionOf", () => {
  const base = [comment("c1"), comment("c22")];
  it.each([
    ["an edited body", [comment("c1"), comment("c22", { body: textToCommentBody("Other words") })]],
    [
      "a reaction",
      [comment("c1"), comment("c22", { reactions: { helpful: ["u-ben"], "same-question": [] } })],
    ],
    ["a hidden comment", [comment("c1"), comment("c22", { body: null, hiddenAt: "2026-12-05T11:00:00Z" })]],
    ["a new reply", [...base, comment("c333")]],
    ["a comment gone", [comment("c1")]],
  ])("changes with %s", (_, changed) => {
    expect(versionOf(changed)).not.toBe(versionOf(base));
  });

  it("does not depend on the order of keys (Postgres' jsonb reorders a body's)", () => {
    const reordered = base.map((entry) => {
      const body = entry.body as CommentBody;
      return { ...entry, body: { content: body.content, type: body.type } };
    });
    expect(versionOf(reordered)).toBe(versionOf(base));
  });
});

describe("summarizeThread and toRoomEntries", () => {
  it("counts every comment, gathers visible tags once, and names the last author", () => {
    const comments = [
      comment("c1", { body: tagged("exile") }),
      comment("c22", { body: tagged("asylum"), authorId: "u-ben", authorName: "Ben" }),
      comment("c333", { body: null, hiddenAt: "2026-12-05T11:00:00Z", authorId: "u-cal", authorName: "Cal" }),
      comment("c4444", { body: tagged("exile") }),
    ];
    expect(summarizeThread(comments)).toEqual({
      commentCount: 4,
      tags: ["exile", "asylum"],
      version: versionOf(comments),
      lastAuthorId: "u-ada",
      lastAuthorName: "Ada",
    });
  });

  it("keeps the first comment in the room and summarises all", () => {
    const annotation = { id: "a1" } as ProjectedAnnotation;
    const comments = [comment("c1"), comment("c22"), comment("c333")];
    const entries = toRoomEntries(annotation, comments);
    expect(entries.comments.map((entry) => entry.id)).toEqual(["c1"]);
    expect(entries.annotation.thread?.commentCount).toBe(3);
    expect(roomComments([])).toEqual([]);
    expect(toRoomEntries(annotation, []).annotation.thread).toMatchObject({
      commentCount: 0,
      lastAuthorId: null,
    });
  });
});
