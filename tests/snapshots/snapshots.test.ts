import * as Y from "yjs";
import { beforeAll, describe, expect, it } from "vitest";
import { updateAnnotation } from "../../lib/server/annotations/update-annotation";
import { updateComment } from "../../lib/server/annotations/update-comment";
import { db } from "../../lib/server/db";
import { findReviewThreads } from "../../lib/server/review/find-review-threads";
import { findSnapshots } from "../../lib/server/snapshots/find-snapshots";
import { getSnapshot } from "../../lib/server/snapshots/get-snapshot";
import { takeDueSnapshots } from "../../lib/server/snapshots/take-due-snapshots";
import { takeSnapshot } from "../../lib/server/snapshots/take-snapshot";
import { readSeminarThreads } from "../../lib/shared/annotations/threads";
import { commentBodyToText, textToCommentBody } from "../../lib/shared/comments/comment-body";
import { loadExportData } from "../../lib/server/exports/load-export-data";
import { renderMarkdown } from "../../lib/server/exports/markdown";
import { buildSeminar, buildUser } from "../helpers/factories";
import { replaceWords, reply, startThread, writePrivateNote } from "../helpers/discussion";

type User = Awaited<ReturnType<typeof buildUser>>;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let iris: User;
let sol: User;
let question: string;
let snapshotId: string;

beforeAll(async () => {
  iris = await buildUser({ name: "Iris Instructor" });
  sol = await buildUser({ name: "Sol Student" });
  seminar = await buildSeminar({ instructor: iris, students: [sol] });
  question = await startThread(iris, seminar, {
    kind: "GUIDING_QUESTION",
    phrase: "the savage, the exotic Mexico",
    text: "Whose gaze calls Mexico savage?",
  });
  await reply(sol, question, "The civilized world's gaze.");
  const hidden = await reply(sol, question, "HIDDEN-WORDS-51c2");
  await updateComment({ userId: iris.id }, hidden, { hidden: true });
  await writePrivateNote(seminar.documentId as string, sol.id, {
    phrase: "Octavio Fernández",
    text: "PRIVATE-NOTE-9d1e",
  });
  const taken = await takeSnapshot({ userId: iris.id }, seminar.id, seminar.documentId as string, {
    name: "Before the seminar",
  });
  snapshotId = taken.id;
});

const view = (user: { id: string }, id = snapshotId) =>
  getSnapshot({ userId: user.id }, seminar.id, seminar.documentId as string, id);

describe("takeSnapshot and the snapshot view", () => {
  it("stores the seminar room's state and its threads, named, by its author", async () => {
    const row = await db.discussionSnapshot.findUniqueOrThrow({ where: { id: snapshotId } });
    expect(row).toMatchObject({ name: "Before the seminar", automatic: false, authorId: iris.id });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, row.state);
    expect(readSeminarThreads(doc).map((thread) => thread.id)).toEqual([question]);
    doc.destroy();
    expect((row.threads as { id: string }[]).map((thread) => thread.id)).toEqual([question]);

    const list = await findSnapshots({ userId: sol.id }, seminar.id, seminar.documentId as string);
    expect(list).toEqual([
      {
        id: snapshotId,
        name: "Before the seminar",
        createdAt: row.createdAt.toISOString(),
        automatic: false,
        author: { id: iris.id, name: "Iris Instructor" },
        threadCount: 1,
      },
    ]);
  });

  it("a snapshot view lacks comments made after it, and keeps a thread's state as it was", async () => {
    await reply(iris, question, "A reply after the snapshot.");
    await updateAnnotation({ userId: iris.id }, question, { resolved: true });

    const snapshot = await view(sol);
    const [thread] = snapshot.threads;
    const words = thread?.comments.map((comment) => (comment.body ? commentBodyToText(comment.body) : null));
    expect(words).toEqual(["Whose gaze calls Mexico savage?", "The civilized world's gaze.", null]);
    expect(thread?.resolvedAt).toBeNull();
    expect(thread?.position).not.toBeNull();
    expect(thread?.blockLabel).toBe("Paragraph 3");
    expect(snapshot.snapshot).toMatchObject({
      name: "Before the seminar",
      author: { name: "Iris Instructor" },
    });

    // The live discussion has moved on.
    const live = await findReviewThreads({ userId: sol.id }, seminar.id, seminar.documentId as string, {
      q: "after the snapshot",
    });
    expect(live.threads.map((entry) => [entry.id, entry.status])).toEqual([[question, "resolved"]]);
  });

  it("holds no private note and no hidden comment's words", async () => {
    const row = await db.discussionSnapshot.findUniqueOrThrow({ where: { id: snapshotId } });
    const stored = JSON.stringify(row.threads) + Buffer.from(row.state).toString("latin1");
    expect(stored).not.toContain("PRIVATE-NOTE-9d1e");
    expect(stored).not.toContain("HIDDEN-WORDS-51c2");
    expect(JSON.stringify(await view(sol))).not.toContain("PRIVATE-NOTE-9d1e");
  });

  it("gives instructors a hidden comment's words in the view and its exports, unless edited since", async () => {
    const hiddenText = async (user: User) => {
      const comment = (await view(user)).threads[0]?.comments.find((candidate) => candidate.isHidden);
      return comment?.body ? commentBodyToText(comment.body) : null;
    };
    expect(await hiddenText(iris)).toBe("HIDDEN-WORDS-51c2");
    expect(await hiddenText(sol)).toBeNull();
    const exported = async (user: User) =>
      renderMarkdown(
        await loadExportData({ userId: user.id }, seminar.id, seminar.documentId as string, { snapshotId }),
        "https://read.example.edu",
      );
    expect(await exported(iris)).toContain("*\\[hidden from students\\]* HIDDEN-WORDS-51c2");
    expect(await exported(sol)).not.toContain("HIDDEN-WORDS-51c2");

    // Its author edits it after the snapshot: the snapshot never shows words newer than itself.
    const hidden = await db.comment.findFirstOrThrow({
      where: { hiddenAt: { not: null }, annotationId: question },
    });
    await updateComment({ userId: sol.id }, hidden.id, { body: textToCommentBody("EDITED-LATER-77aa") });
    expect(await hiddenText(iris)).toBeNull();
    expect(await exported(iris)).not.toContain("EDITED-LATER-77aa");
    expect(await exported(iris)).toContain("*\\[hidden by an instructor\\]*");
  });

  it("students cannot take snapshots; non-members cannot see them", async () => {
    await expect(
      takeSnapshot({ userId: sol.id }, seminar.id, seminar.documentId as string, { name: "Mine" }),
    ).rejects.toMatchObject({ code: "forbidden" });
    const outsider = await buildUser();
    await expect(view(outsider)).rejects.toMatchObject({ code: "not_found" });
    await expect(
      findSnapshots({ userId: outsider.id }, seminar.id, seminar.documentId as string),
    ).rejects.toMatchObject({ code: "not_found" });
  });

  it("refuses a nameless snapshot, and an unknown snapshot id is not_found", async () => {
    await expect(
      takeSnapshot({ userId: iris.id }, seminar.id, seminar.documentId as string, { name: "  " }),
    ).rejects.toMatchObject({ code: "invalid_input", message: "Name the snapshot." });
    await expect(view(sol, "nosuchsnapshot00")).rejects.toMatchObject({ code: "not_found" });
  });

  it("a snapshot of another seminar's reading is not found through this one", async () => {
    const other = await buildSeminar({ instructor: iris });
    const elsewhere = await takeSnapshot({ userId: iris.id }, other.id, other.documentId as string, {
      name: "Elsewhere",
    });
    await expect(view(iris, elsewhere.id)).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("a snapshot after an instructor edits the words of a passage", () => {
  it("quotes the passage as the text reads now, with the words it was made on", async () => {
    expect((await view(sol)).threads[0]?.passage).toEqual({
      current: "the savage, the exotic Mexico",
      original: null,
    });
    await replaceWords(seminar.documentId as string, {
      in: "the exotic Mexico",
      words: "exotic",
      with: "picturesque",
    });
    expect((await view(sol)).threads[0]?.passage).toEqual({
      current: "the savage, the picturesque Mexico",
      original: "the savage, the exotic Mexico",
    });
  });
});

describe("takeDueSnapshots", () => {
  it("takes one automatic snapshot per due reading, once, even when two sweeps run at the same time", async () => {
    const due = await buildSeminar({ instructor: iris, students: [sol] });
    await startThread(sol, due, { kind: "COMMENT", phrase: "Emiliano Zapata", text: "Zapata!" });
    await db.reading.updateMany({
      where: { seminarId: due.id },
      data: { dueAt: new Date("2026-12-04T23:59:00Z") },
    });
    const notYet = await buildSeminar({ instructor: iris });
    await db.reading.updateMany({
      where: { seminarId: notYet.id },
      data: { dueAt: new Date("2026-12-20T23:59:00Z") },
    });
    const now = new Date("2026-12-05T08:00:00Z");

    const [first, second] = await Promise.all([takeDueSnapshots(now), takeDueSnapshots(now)]);
    const takenHere = [...first, ...second];
    const rows = await db.discussionSnapshot.findMany({ where: { seminarId: due.id } });
    expect(rows).toHaveLength(1);
    expect(takenHere).toContain(rows[0]?.id);
    expect(rows[0]).toMatchObject({ name: "Due date · 4 Dec 2026", automatic: true, authorId: null });
    expect((rows[0]?.threads as unknown[]).length).toBe(1);
    const reading = await db.reading.findFirstOrThrow({ where: { seminarId: due.id } });
    expect(reading.dueSnapshotAt).toEqual(now);

    // Later sweeps take nothing more; a reading not yet due is left alone.
    expect(await takeDueSnapshots(new Date("2026-12-06T08:00:00Z"))).toEqual([]);
    expect(await db.discussionSnapshot.count({ where: { seminarId: notYet.id } })).toBe(0);

    const listed = await findSnapshots({ userId: sol.id }, due.id, due.documentId as string);
    expect(listed).toMatchObject([{ name: "Due date · 4 Dec 2026", automatic: true, author: null }]);
  });
});
