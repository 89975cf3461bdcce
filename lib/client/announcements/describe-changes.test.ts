import { describe, expect, it } from "vitest";
import type { Thread, ThreadComment } from "@/lib/shared/annotations/threads";
import { describeChanges, quoteForAnnouncement, summarizeChanges } from "./describe-changes";

const tomas = { id: "u-tomas", name: "Tomás Herrera", role: "STUDENT" };
const iris = { id: "u-iris", name: "Iris Instructor", role: "INSTRUCTOR" };

function comment(id: string, author: typeof tomas, extra: Partial<ThreadComment> = {}): ThreadComment {
  return {
    id,
    parentId: null,
    author,
    body: null,
    createdAt: "2026-12-05T10:00:00Z",
    editedAt: null,
    isDeleted: false,
    isHidden: false,
    ...extra,
  };
}

function thread(id: string, author: typeof tomas, extra: Partial<Thread> = {}): Thread {
  return {
    id,
    kind: "COMMENT",
    layer: "seminar",
    author,
    categoryId: null,
    anchor: { quote: { exact: "the savage, the exotic Mexico", prefix: "", suffix: "" } } as Thread["anchor"],
    pinned: false,
    resolvedAt: null,
    resolvedByName: null,
    createdAt: "2026-12-05T10:00:00Z",
    updatedAt: "2026-12-05T10:00:00Z",
    comments: [comment(`${id}-c1`, author)],
    status: "committed",
    ...extra,
  };
}

describe("describeChanges", () => {
  it("announces another reader's new comment thread with its passage", () => {
    const changes = describeChanges([], [thread("a", tomas)], iris.id);
    expect(changes.map((change) => change.sentence)).toEqual([
      "Tomás Herrera commented on ‘the savage, the exotic Mexico’",
    ]);
  });

  it("never announces the reader's own threads or replies", () => {
    const before = [thread("a", tomas)];
    const after = [
      { ...thread("a", tomas), comments: [...thread("a", tomas).comments, comment("r1", iris)] },
      thread("b", iris),
    ];
    expect(describeChanges(before, after, iris.id)).toEqual([]);
  });

  it("announces replies, highlights and guiding questions, and skips private and pending ones", () => {
    const before = [thread("a", iris)];
    const after = [
      { ...thread("a", iris), comments: [...thread("a", iris).comments, comment("r1", tomas)] },
      thread("h", tomas, { kind: "HIGHLIGHT", comments: [] }),
      thread("q", iris, { kind: "GUIDING_QUESTION" }),
      thread("n", tomas, { layer: "private" }),
      thread("p", tomas, { status: "pending" }),
    ];
    expect(describeChanges(before, after, "someone-else").map((change) => change.sentence)).toEqual([
      "Tomás Herrera replied on ‘the savage, the exotic Mexico’",
      "Tomás Herrera highlighted ‘the savage, the exotic Mexico’",
      "Iris Instructor asked a guiding question on ‘the savage, the exotic Mexico’",
    ]);
  });

  it("shortens long passages", () => {
    expect(quoteForAnnouncement("a ".repeat(60))).toMatch(/^‘(a ){23}a…’$/);
  });
});

describe("summarizeChanges", () => {
  it("says one change as it is, and several as one summary naming who made them", () => {
    const one = { actor: "Tomás Herrera", sentence: "Tomás Herrera commented on ‘x’" };
    expect(summarizeChanges([])).toBe("");
    expect(summarizeChanges([one])).toBe("Tomás Herrera commented on ‘x’");
    expect(
      summarizeChanges([one, one, { actor: "Ona Other", sentence: "…" }, { actor: "Iris", sentence: "…" }]),
    ).toBe("4 new annotations and replies by Tomás Herrera, Ona Other and Iris");
  });
});

describe("describeChanges on lean rooms (docs/adr/0027)", () => {
  const summary = (commentCount: number, last: typeof tomas | null) => ({
    commentCount,
    tags: [],
    version: `v${commentCount}`,
    lastAuthorId: last?.id ?? null,
    lastAuthorName: last?.name ?? null,
  });

  it("announces a reply the room only counts, by its author", () => {
    const before = [thread("t1", iris, { summary: summary(1, iris) })];
    const after = [thread("t1", iris, { summary: summary(2, tomas) })];
    expect(describeChanges(before, after, iris.id).map((change) => change.sentence)).toEqual([
      "Tomás Herrera replied on ‘the savage, the exotic Mexico’",
    ]);
  });

  it("stays silent for the reader's own reply, and when a loaded body only adds what was counted", () => {
    const counted = thread("t1", iris, { summary: summary(2, tomas) });
    expect(describeChanges([thread("t1", iris, { summary: summary(1, iris) })], [counted], tomas.id)).toEqual(
      [],
    );
    const loaded = { ...counted, comments: [...counted.comments, comment("t1-c2", tomas)] };
    expect(describeChanges([counted], [loaded], iris.id)).toEqual([]);
  });
});
