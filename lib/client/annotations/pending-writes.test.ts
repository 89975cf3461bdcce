import { describe, expect, it } from "vitest";
import type { Thread } from "@/lib/shared/annotations/threads";
import { textToCommentBody } from "@/lib/shared/comments/comment-body";
import {
  newPendingComment,
  newPendingThread,
  NO_PENDING_WRITES,
  reducePendingWrites,
  type PendingWriteEvent,
  type PendingWrites,
} from "./pending-writes";

const author = { id: "u1", name: "Ana", role: "STUDENT" };
const anchor = { quote: { exact: "a passage", prefix: "", suffix: "" } } as unknown as Thread["anchor"];

function thread(id: string): Thread {
  return newPendingThread({ id, kind: "HIGHLIGHT", anchor, categoryId: null, author, comment: null });
}

/** The state after each event in turn. */
function after(...events: PendingWriteEvent[]): PendingWrites {
  return events.reduce(reducePendingWrites, NO_PENDING_WRITES);
}

/** A seminar room holding these annotation and comment ids. */
function roomHolding(annotations: string[], comments: string[] = []): PendingWriteEvent {
  return { type: "room-changed", annotations: new Set(annotations), comments: new Set(comments) };
}

const statusOf = (state: PendingWrites, id: string) => state.threads.get(id)?.status;

describe("pending writes", () => {
  it("shows a sent thread as pending until the room holds it", () => {
    const sent = after({ type: "thread-sent", thread: thread("t1") });
    expect(statusOf(sent, "t1")).toBe("pending");
    expect(statusOf(reducePendingWrites(sent, roomHolding(["other"])), "t1")).toBe("pending");
    expect(reducePendingWrites(sent, roomHolding(["t1"])).threads.size).toBe(0);
  });

  it("keeps a refused thread, failed with the server's message, even when the room changes", () => {
    const t1 = thread("t1");
    const failed = after(
      { type: "thread-sent", thread: t1 },
      { type: "thread-failed", thread: t1, error: "Too long." },
      roomHolding(["t1"]),
    );
    expect(failed.threads.get("t1")).toMatchObject({ status: "failed", error: "Too long." });
  });

  it("clears the error when a failed thread is sent again", () => {
    const t1 = thread("t1");
    const retried = after(
      { type: "thread-sent", thread: t1 },
      { type: "thread-failed", thread: t1, error: "Offline." },
      { type: "thread-sent", thread: { ...t1, status: "failed", error: "Offline." } },
    );
    expect(retried.threads.get("t1")).toMatchObject({ status: "pending", error: undefined });
  });

  it("drops a discarded thread and leaves the others", () => {
    const t1 = thread("t1");
    const state = after(
      { type: "thread-sent", thread: t1 },
      { type: "thread-sent", thread: thread("t2") },
      { type: "thread-failed", thread: t1, error: "No." },
      { type: "thread-discarded", id: "t1" },
    );
    expect([...state.threads.keys()]).toEqual(["t2"]);
  });

  it("shows a reply as pending until the room holds it, and withdraws it when refused", () => {
    const first = newPendingComment(author, textToCommentBody("first"));
    const second = newPendingComment(author, textToCommentBody("second"));
    const sent = after(
      { type: "reply-sent", annotationId: "t1", comment: first },
      { type: "reply-sent", annotationId: "t1", comment: second },
    );
    expect(sent.comments.get(first.id)).toEqual({ annotationId: "t1", comment: first, status: "pending" });

    const committed = reducePendingWrites(sent, roomHolding([], [first.id]));
    expect([...committed.comments.keys()]).toEqual([second.id]);
    expect(reducePendingWrites(committed, { type: "reply-failed", id: second.id }).comments.size).toBe(0);
  });

  it("returns the same state when nothing changed, so the margin does not re-render", () => {
    const sent = after({ type: "thread-sent", thread: thread("t1") });
    expect(reducePendingWrites(sent, roomHolding(["other"], ["other"]))).toBe(sent);
    expect(reducePendingWrites(sent, { type: "thread-discarded", id: "unknown" })).toBe(sent);
    expect(reducePendingWrites(sent, { type: "reply-failed", id: "unknown" })).toBe(sent);
  });

  it("never changes the state it was given", () => {
    const sent = after({ type: "thread-sent", thread: thread("t1") });
    reducePendingWrites(sent, { type: "thread-discarded", id: "t1" });
    reducePendingWrites(sent, roomHolding(["t1"]));
    expect(statusOf(sent, "t1")).toBe("pending");
    expect(NO_PENDING_WRITES.threads.size + NO_PENDING_WRITES.comments.size).toBe(0);
  });
});

describe("a new pending thread", () => {
  it("is a shared thread by the reader, with its first comment when it has one", () => {
    const comment = newPendingComment(author, textToCommentBody("Why here?"));
    const made = newPendingThread({ id: "t1", kind: "COMMENT", anchor, categoryId: "c1", author, comment });
    expect(made).toMatchObject({
      id: "t1",
      kind: "COMMENT",
      layer: "seminar",
      author,
      categoryId: "c1",
      status: "pending",
      pinned: false,
      resolvedAt: null,
    });
    expect(made.comments).toEqual([comment]);
    expect(made.createdAt).toBe(made.updatedAt);
  });

  it("gives each new comment its own id in the API's format", () => {
    const ids = new Set(
      Array.from({ length: 50 }, () => newPendingComment(author, textToCommentBody("x")).id),
    );
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]{16,40}$/);
  });
});
