import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { textToCommentBody } from "../comments/comment-body";
import { ROOT_TYPES } from "../rooms";
import { encodeRoomEntry } from "./room-entries";
import { createSeminarThreadsReader, readSeminarThreads } from "./threads";
import type { ProjectedAnnotation, ProjectedComment } from "./types";

const ANCHOR = {
  start: "AAAAAA==",
  end: "AAAAAA==",
  quote: { exact: "a passage", prefix: "", suffix: "" },
  position: { start: 0, end: 9 },
};

function annotation(id: string, overrides: Partial<ProjectedAnnotation> = {}): ProjectedAnnotation {
  return {
    id,
    kind: "COMMENT",
    authorId: "u1",
    authorName: "Ana",
    authorRole: "STUDENT",
    categoryId: null,
    anchor: ANCHOR,
    pinned: false,
    resolvedAt: null,
    resolvedByName: null,
    createdAt: `2026-01-01T00:00:${id.padStart(2, "0").slice(-2)}.000Z`,
    updatedAt: "2026-01-01T00:00:00.000Z",
    ...overrides,
  };
}

function comment(id: string, annotationId: string, at: string): ProjectedComment {
  return {
    id,
    annotationId,
    parentId: null,
    authorId: "u1",
    authorName: "Ana",
    authorRole: "STUDENT",
    body: textToCommentBody(`comment ${id}`),
    createdAt: at,
    editedAt: null,
    deletedAt: null,
    hiddenAt: null,
  };
}

/** A seminar room with `count` threads of one comment each. */
function room(count: number) {
  const doc = new Y.Doc();
  const annotations = doc.getMap<unknown>(ROOT_TYPES.annotations);
  const comments = doc.getMap<unknown>(ROOT_TYPES.comments);
  doc.transact(() => {
    for (let i = 0; i < count; i++) {
      annotations.set(`a${i}`, annotation(`a${i}`));
      comments.set(`c${i}`, comment(`c${i}`, `a${i}`, "2026-01-01T00:01:00.000Z"));
    }
  });
  return { doc, annotations, comments };
}

describe("reading the seminar room's threads as it changes", () => {
  it("reads what a full read reads, at 10,000 threads", () => {
    const { doc } = room(10_000);
    const reader = createSeminarThreadsReader(doc);
    const threads = reader.read();
    expect(threads).toHaveLength(10_000);
    expect(threads).toEqual(readSeminarThreads(doc));
    reader.detach();
  });

  it("re-reads only the threads an update touched; the others keep their identity", () => {
    const { doc, annotations, comments } = room(1000);
    const reader = createSeminarThreadsReader(doc);
    const before = reader.read();
    expect(reader.read()).toBe(before);

    comments.set("r1", comment("r1", "a7", "2026-01-01T00:02:00.000Z"));
    annotations.set("a9", annotation("a9", { resolvedAt: "2026-01-02T00:00:00.000Z" }));
    annotations.delete("a3");
    annotations.set("new", annotation("new"));
    const after = reader.read();

    expect(after).toEqual(readSeminarThreads(doc));
    expect(after).toHaveLength(1000);
    const byId = new Map(after.map((thread) => [thread.id, thread]));
    expect(byId.get("a7")?.comments.map((entry) => entry.id)).toEqual(["c7", "r1"]);
    expect(byId.get("a9")?.resolvedAt).toBe("2026-01-02T00:00:00.000Z");
    expect(byId.has("a3")).toBe(false);
    const changed = new Set(["a7", "a9", "new"]);
    for (const thread of before)
      if (!changed.has(thread.id) && thread.id !== "a3") expect(byId.get(thread.id)).toBe(thread);
    reader.detach();
  });

  it("moves a comment whose thread changed, and drops a malformed entry", () => {
    const { doc, comments } = room(3);
    const reader = createSeminarThreadsReader(doc);
    reader.read();
    comments.set("c0", comment("c0", "a1", "2026-01-01T00:03:00.000Z"));
    comments.set("c2", { nonsense: true });
    const byId = new Map(reader.read().map((thread) => [thread.id, thread]));
    expect(byId.get("a0")?.comments).toEqual([]);
    expect(byId.get("a1")?.comments.map((entry) => entry.id)).toEqual(["c1", "c0"]);
    expect(byId.get("a2")?.comments).toEqual([]);
    reader.detach();
  });

  it("reads entries held as their JSON text and, from older rooms, as objects, side by side", () => {
    const objects = room(40);
    const mixed = new Y.Doc();
    const annotations = mixed.getMap<unknown>(ROOT_TYPES.annotations);
    const comments = mixed.getMap<unknown>(ROOT_TYPES.comments);
    mixed.transact(() => {
      for (let i = 0; i < 40; i++) {
        const asText = i % 3 !== 0;
        const entry = annotation(`a${i}`);
        annotations.set(`a${i}`, asText ? encodeRoomEntry(entry) : entry);
        const reply = comment(`c${i}`, `a${i}`, "2026-01-01T00:01:00.000Z");
        comments.set(`c${i}`, i % 2 === 0 ? encodeRoomEntry(reply) : reply);
      }
      // Text that is not JSON, and JSON that is not an entry, are left out like a malformed object.
      annotations.set("broken", "{not json");
      annotations.set("odd", JSON.stringify({ nonsense: true }));
      comments.set("stray", JSON.stringify([1, 2, 3]));
    });
    const expected = readSeminarThreads(objects.doc);
    expect(expected).toHaveLength(40);
    expect(readSeminarThreads(mixed)).toEqual(expected);

    const reader = createSeminarThreadsReader(mixed);
    expect(reader.read()).toEqual(expected);
    comments.set("r1", encodeRoomEntry(comment("r1", "a0", "2026-01-01T00:02:00.000Z")));
    annotations.set("a1", encodeRoomEntry(annotation("a1", { pinned: true })));
    const byId = new Map(reader.read().map((thread) => [thread.id, thread]));
    expect(byId.get("a0")?.comments.map((entry) => entry.id)).toEqual(["c0", "r1"]);
    expect(byId.get("a1")?.pinned).toBe(true);
    reader.detach();
  });

  it("reads at the next read what several updates changed between two reads", () => {
    const { doc, annotations, comments } = room(5);
    const reader = createSeminarThreadsReader(doc);
    const before = reader.read();
    annotations.set("brief", annotation("brief"));
    comments.set("c1", comment("c1", "a2", "2026-01-01T00:04:00.000Z"));
    comments.set("c1", comment("c1", "a3", "2026-01-01T00:05:00.000Z"));
    annotations.delete("brief");
    annotations.set("a4", annotation("a4", { pinned: true }));
    const after = reader.read();
    expect(after).toEqual(readSeminarThreads(doc));
    const byId = new Map(after.map((thread) => [thread.id, thread]));
    expect(byId.has("brief")).toBe(false);
    expect(byId.get("a1")?.comments).toEqual([]);
    expect(byId.get("a2")?.comments.map((entry) => entry.id)).toEqual(["c2"]);
    expect(byId.get("a3")?.comments.map((entry) => entry.id)).toEqual(["c3", "c1"]);
    expect(byId.get("a4")?.pinned).toBe(true);
    expect(byId.get("a0")).toBe(before.find((thread) => thread.id === "a0"));
    reader.detach();
  });

  it("stops following the room when detached, and catches up when attached again", () => {
    const { doc, annotations } = room(2);
    const reader = createSeminarThreadsReader(doc);
    reader.detach();
    annotations.delete("a0");
    annotations.set("late", annotation("late"));
    reader.attach();
    expect(
      reader
        .read()
        .map((thread) => thread.id)
        .sort(),
    ).toEqual(["a1", "late"]);
    reader.detach();
  });

  it("parses a large update only when asked, in slices, with changes between slices included", () => {
    const source = room(4000);
    const doc = new Y.Doc();
    const reader = createSeminarThreadsReader(doc);
    expect(reader.read()).toEqual([]);
    // The room's whole state arrives as one update, as a reader's first sync does.
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(source.doc));

    // A slice with no time to spare parses a few entries and says more are left.
    expect(reader.catchUp(0)).toBe(false);
    // Changes arriving between slices, to entries parsed already and to entries not yet parsed.
    const annotations = doc.getMap<unknown>(ROOT_TYPES.annotations);
    const comments = doc.getMap<unknown>(ROOT_TYPES.comments);
    annotations.set("a3999", annotation("a3999", { pinned: true }));
    annotations.delete("a0");
    comments.set("r1", comment("r1", "a5", "2026-01-01T00:02:00.000Z"));
    let slices = 1;
    while (!reader.catchUp(0)) slices++;
    expect(slices).toBeGreaterThan(10);
    expect(reader.catchUp(0)).toBe(true);

    const threads = reader.read();
    expect(threads).toEqual(readSeminarThreads(doc));
    expect(threads).toHaveLength(3999);
    const byId = new Map(threads.map((thread) => [thread.id, thread]));
    expect(byId.get("a3999")?.pinned).toBe(true);
    expect(byId.get("a5")?.comments.map((entry) => entry.id)).toEqual(["c5", "r1"]);
    reader.detach();
  });

  it("reads everything at a read, whatever was left of a slice", () => {
    const source = room(500);
    const doc = new Y.Doc();
    const reader = createSeminarThreadsReader(doc);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(source.doc));
    expect(reader.catchUp(0)).toBe(false);
    expect(reader.read()).toEqual(readSeminarThreads(source.doc));
    expect(reader.catchUp(0)).toBe(true);
    reader.detach();
  });
});
