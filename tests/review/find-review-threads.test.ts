import { beforeAll, describe, expect, it } from "vitest";
import { deleteAnnotation } from "../../lib/server/annotations/delete-annotation";
import { updateAnnotation } from "../../lib/server/annotations/update-annotation";
import { updateComment } from "../../lib/server/annotations/update-comment";
import { db } from "../../lib/server/db";
import { findReviewThreads } from "../../lib/server/review/find-review-threads";
import type { ReviewThread } from "../../lib/shared/review/review-types";
import { textToCommentBody } from "../../lib/shared/comments/comment-body";
import { buildSeminar, buildUser } from "../helpers/factories";
import { replaceWords, reply, startThread, writePrivateNote } from "../helpers/discussion";

type User = Awaited<ReturnType<typeof buildUser>>;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let iris: User;
let sol: User;
let ona: User;
let outsider: User;
/** Thread ids by name, in reading order: T1 … T5; N1 is Sol's private note, N2 Ona's. */
const ids: Record<string, string> = {};
const names = new Map<string, string>();
/** Iris's reply in T2, which one search test edits and puts back. */
let ironyReplyId = "";

beforeAll(async () => {
  iris = await buildUser({ name: "Iris Instructor" });
  sol = await buildUser({ name: "Sol Student" });
  ona = await buildUser({ name: "Ona Other" });
  outsider = await buildUser({ name: "Out Sider" });
  seminar = await buildSeminar({ instructor: iris, students: [sol, ona] });
  await buildSeminar({ instructor: outsider });
  const category = async (name: string) =>
    (await db.category.findFirstOrThrow({ where: { seminarId: seminar.id, name } })).id;

  ids.T1 = await startThread(sol, seminar, {
    kind: "HIGHLIGHT",
    phrase: "raging dogs that must be brought down",
    categoryId: await category("Evidence"),
  });
  ids.T2 = await startThread(ona, seminar, {
    kind: "COMMENT",
    phrase: "the world became a planet with no visa",
    text: "Breton's formula sums up the exiles' isolation.",
  });
  ironyReplyId = await reply(iris, ids.T2, "Note the irony of the word planet.");
  ids.T3 = await startThread(iris, seminar, {
    kind: "GUIDING_QUESTION",
    phrase: "the savage, the exotic Mexico",
    text: "Whose gaze calls Mexico savage?",
  });
  await reply(sol, ids.T3, "The civilized world's gaze.");
  const hidden = await reply(ona, ids.T3, "Perhaps the surrealists.");
  await updateComment({ userId: iris.id }, hidden, { hidden: true });
  await updateAnnotation({ userId: iris.id }, ids.T3, { resolved: true });
  ids.T4 = await startThread(sol, seminar, {
    kind: "COMMENT",
    phrase: "Diego Rivera, the famous Mexican muralist",
    text: "Rivera mattered more than the minister.",
  });
  // An old thread, for the date filters.
  await db.annotation.update({
    where: { id: ids.T4 },
    data: { createdAt: new Date("2020-01-15T12:00:00Z") },
  });
  ids.T5 = await startThread(ona, seminar, {
    kind: "HIGHLIGHT",
    phrase: "the privilege of asylum for all who have been exiled because of political reasons",
    categoryId: await category("Key claim"),
  });
  const gone = await startThread(sol, seminar, {
    kind: "COMMENT",
    phrase: "Emiliano Zapata",
    text: "Deleted.",
  });
  await deleteAnnotation({ userId: sol.id }, gone);

  const documentId = seminar.documentId as string;
  ids.N1 = await writePrivateNote(documentId, sol.id, {
    phrase: "Octavio Fernández",
    text: "Look up Fernández later",
  });
  ids.N2 = await writePrivateNote(documentId, ona.id, {
    phrase: "Zinoviev and Kamenev",
    text: "ONA-SECRET remember the trials",
  });
  for (const [name, id] of Object.entries(ids)) names.set(id, name);
});

/** The review as `user` sees it, as thread names in order. */
async function review(user: { id: string }, query: Record<string, string> = {}) {
  const result = await findReviewThreads(
    { userId: user.id },
    seminar.id,
    seminar.documentId as string,
    query,
  );
  return result.threads.map((thread) => names.get(thread.id) ?? thread.id);
}

async function entry(user: { id: string }, name: string): Promise<ReviewThread> {
  const result = await findReviewThreads({ userId: user.id }, seminar.id, seminar.documentId as string, {});
  return result.threads.find((thread) => thread.id === ids[name]) as ReviewThread;
}

describe("findReviewThreads: the list", () => {
  it("lists every shared thread and the viewer's own notes in reading order, deleted ones left out", async () => {
    expect(await review(sol)).toEqual(["T1", "T2", "T3", "T4", "N1", "T5"]);
    expect(await review(ona)).toEqual(["T1", "N2", "T2", "T3", "T4", "T5"]);
    expect(await review(iris)).toEqual(["T1", "T2", "T3", "T4", "T5"]);
  });

  it("never shows another user's private notes, whatever the filters", async () => {
    expect(await review(sol, { kind: "note" })).toEqual(["N1"]);
    expect(await review(sol, { q: "ONA-SECRET" })).toEqual([]);
    expect(await review(sol, { participant: ona.id })).toEqual(["T2", "T3", "T5"]);
    expect(await review(iris, { kind: "note" })).toEqual([]);
    expect(await review(iris, { participant: sol.id })).toEqual(["T1", "T3", "T4"]);
  });

  it("carries what the page shows: quote, author and role, kind, category, status, counts, first comment, link", async () => {
    const question = await entry(sol, "T3");
    expect(question).toMatchObject({
      kind: "GUIDING_QUESTION",
      layer: "seminar",
      quote: "the savage, the exotic Mexico",
      originalQuote: null,
      author: { id: iris.id, name: "Iris Instructor", role: "INSTRUCTOR" },
      category: null,
      status: "resolved",
      commentCount: 3,
      replyCount: 2,
      firstComment: { authorName: "Iris Instructor", text: "Whose gaze calls Mexico savage?" },
      href: `/seminars/${seminar.id}/readings/${seminar.documentId}#thread-${ids.T3}`,
    });
    expect(question.position?.end).toBeGreaterThan(question.position?.start ?? Infinity);
    expect(question.blockIndex).toEqual(expect.any(Number));

    const highlight = await entry(sol, "T1");
    expect(highlight).toMatchObject({
      kind: "HIGHLIGHT",
      author: { name: "Sol Student", role: "STUDENT" },
      category: { name: "Evidence" },
      status: "open",
      commentCount: 0,
      replyCount: 0,
      firstComment: null,
    });
    expect(highlight.category?.color).toMatch(/^#[0-9a-f]{6}$/i);

    const note = await entry(sol, "N1");
    expect(note).toMatchObject({
      kind: "NOTE",
      layer: "private",
      quote: "Octavio Fernández",
      author: { id: sol.id, role: "STUDENT" },
      firstComment: { text: "Look up Fernández later" },
      href: `/seminars/${seminar.id}/readings/${seminar.documentId}#thread-${ids.N1}`,
    });
  });

  it("answers the filter choices: members and categories", async () => {
    const result = await findReviewThreads({ userId: sol.id }, seminar.id, seminar.documentId as string, {});
    expect(result.options.participants.map((person) => person.name)).toEqual([
      "Iris Instructor",
      "Ona Other",
      "Sol Student",
    ]);
    expect(result.options.categories.map((category) => category.name)).toEqual(
      expect.arrayContaining(["Key claim", "Evidence"]),
    );
    expect(result.viewer).toEqual({ id: sol.id, role: "STUDENT" });
  });
});

describe("findReviewThreads: each filter alone", () => {
  it("participant: threads they started or commented in (a hidden comment still counts)", async () => {
    expect(await review(iris, { participant: iris.id })).toEqual(["T2", "T3"]);
    expect(await review(iris, { participant: ona.id })).toEqual(["T2", "T3", "T5"]);
    expect(await review(sol, { participant: sol.id })).toEqual(["T1", "T3", "T4", "N1"]);
  });

  it("role: the thread author's role in the seminar", async () => {
    expect(await review(iris, { role: "instructor" })).toEqual(["T3"]);
    expect(await review(iris, { role: "student" })).toEqual(["T1", "T2", "T4", "T5"]);
    expect(await review(sol, { role: "student" })).toEqual(["T1", "T2", "T4", "N1", "T5"]);
  });

  it("category", async () => {
    const evidence = await db.category.findFirstOrThrow({
      where: { seminarId: seminar.id, name: "Evidence" },
    });
    expect(await review(sol, { category: evidence.id })).toEqual(["T1"]);
  });

  it("kind: highlight, comment, guiding question, private note", async () => {
    expect(await review(sol, { kind: "highlight" })).toEqual(["T1", "T5"]);
    expect(await review(sol, { kind: "comment" })).toEqual(["T2", "T4"]);
    expect(await review(sol, { kind: "question" })).toEqual(["T3"]);
    expect(await review(sol, { kind: "note" })).toEqual(["N1"]);
  });

  it("status: open or resolved (highlights and notes are always open)", async () => {
    expect(await review(sol, { status: "resolved" })).toEqual(["T3"]);
    expect(await review(sol, { status: "open" })).toEqual(["T1", "T2", "T4", "N1", "T5"]);
  });

  it("date range: created on or after `from`, on or before `to` (UTC days)", async () => {
    expect(await review(sol, { from: "2020-01-01", to: "2020-01-15" })).toEqual(["T4"]);
    expect(await review(sol, { to: "2020-01-14" })).toEqual([]);
    expect(await review(sol, { from: "2020-01-16" })).toEqual(["T1", "T2", "T3", "N1", "T5"]);
  });
});

describe("findReviewThreads: full-text search", () => {
  it("finds words of quotes", async () => {
    expect(await review(sol, { q: "savage" })).toEqual(["T3"]);
  });

  it("finds words of comments and replies", async () => {
    expect(await review(sol, { q: "irony" })).toEqual(["T2"]);
    expect(await review(sol, { q: "minister" })).toEqual(["T4"]);
  });

  it("finds a comment by its words as they are now: an edit is searched at once, its old words no longer", async () => {
    await updateComment({ userId: iris.id }, ironyReplyId, {
      body: textToCommentBody("Note the sarcasm of the word planet."),
    });
    try {
      expect(await review(sol, { q: "sarcasm" })).toEqual(["T2"]);
      expect(await review(sol, { q: "irony" })).toEqual([]);
    } finally {
      await updateComment({ userId: iris.id }, ironyReplyId, {
        body: textToCommentBody("Note the irony of the word planet."),
      });
    }
    expect(await review(sol, { q: "irony" })).toEqual(["T2"]);
  });

  it("stems English words: dog finds dogs, exile finds exiled (quote) and exiles' (comment)", async () => {
    expect(await review(sol, { q: "dog" })).toEqual(["T1"]);
    expect(await review(sol, { q: "exile" })).toEqual(["T2", "T5"]);
  });

  it("takes web search syntax: phrases and exclusions, matched against the quote or one comment", async () => {
    expect(await review(sol, { q: '"civilized world"' })).toEqual(["T3"]);
    expect(await review(sol, { q: "exile -isolation" })).toEqual(["T5"]);
  });

  it("finds the words of a hidden comment for instructors only (not even for its author)", async () => {
    expect(await review(iris, { q: "surrealists" })).toEqual(["T3"]);
    expect(await review(sol, { q: "surrealists" })).toEqual([]);
    expect(await review(ona, { q: "surrealists" })).toEqual([]);
  });

  it("searches the viewer's own notes by a case-insensitive match", async () => {
    expect(await review(sol, { q: "look up" })).toEqual(["N1"]);
    expect(await review(sol, { q: "FERNÁNDEZ" })).toEqual(["N1"]);
  });
});

describe("findReviewThreads: filters combined", () => {
  it("kind and participant", async () => {
    expect(await review(iris, { kind: "comment", participant: iris.id })).toEqual(["T2"]);
  });

  it("status, role and search", async () => {
    expect(await review(iris, { status: "open", role: "student", q: "exile" })).toEqual(["T2", "T5"]);
    expect(await review(iris, { status: "resolved", role: "student", q: "gaze" })).toEqual([]);
  });

  it("category, kind and date", async () => {
    const keyClaim = await db.category.findFirstOrThrow({
      where: { seminarId: seminar.id, name: "Key claim" },
    });
    expect(await review(ona, { category: keyClaim.id, kind: "highlight", from: "2020-02-01" })).toEqual([
      "T5",
    ]);
    expect(await review(ona, { category: keyClaim.id, kind: "comment" })).toEqual([]);
  });
});

describe("findReviewThreads: sorting", () => {
  it("by position in the text (the default)", async () => {
    expect(await review(iris, { sort: "position" })).toEqual(["T1", "T2", "T3", "T4", "T5"]);
  });

  it("newest first", async () => {
    expect(await review(iris, { sort: "newest" })).toEqual(["T5", "T3", "T2", "T1", "T4"]);
  });

  it("most replies first, then in reading order", async () => {
    expect(await review(iris, { sort: "replies" })).toEqual(["T3", "T2", "T1", "T4", "T5"]);
  });
});

describe("findReviewThreads: access and input", () => {
  it("a non-member gets not_found, a signed-out visitor unauthenticated", async () => {
    await expect(
      findReviewThreads({ userId: outsider.id }, seminar.id, seminar.documentId as string, {}),
    ).rejects.toMatchObject({ code: "not_found" });
    await expect(findReviewThreads(null, seminar.id, seminar.documentId as string, {})).rejects.toMatchObject(
      {
        code: "unauthenticated",
      },
    );
  });

  it("refuses a malformed query with a clear message", async () => {
    await expect(
      findReviewThreads({ userId: sol.id }, seminar.id, seminar.documentId as string, { sort: "sideways" }),
    ).rejects.toMatchObject({ code: "invalid_input" });
    await expect(
      findReviewThreads({ userId: sol.id }, seminar.id, seminar.documentId as string, { from: "yesterday" }),
    ).rejects.toMatchObject({ code: "invalid_input", message: "Use a date like 2026-12-04." });
  });
});

describe("findReviewThreads: a hidden opening comment", () => {
  it("shows instructors its words marked hidden, and students only that it was hidden", async () => {
    const own = await buildSeminar({ instructor: iris, students: [sol] });
    const thread = await startThread(sol, own, {
      kind: "COMMENT",
      phrase: "the world became a planet with no visa",
      text: "Words the instructor hid",
    });
    const opening = await db.comment.findFirstOrThrow({
      where: { annotationId: thread },
      select: { id: true },
    });
    await updateComment({ userId: iris.id }, opening.id, { hidden: true });
    const firstComment = async (user: User) =>
      (await findReviewThreads({ userId: user.id }, own.id, own.documentId as string, {})).threads.find(
        (candidate) => candidate.id === thread,
      )?.firstComment;
    expect(await firstComment(iris)).toEqual({
      authorName: "Sol Student",
      text: "Words the instructor hid",
      isHidden: true,
    });
    expect(await firstComment(sol)).toEqual({ authorName: "Sol Student", text: null, isHidden: true });
    const asStudent = await findReviewThreads({ userId: sol.id }, own.id, own.documentId as string, {});
    expect(JSON.stringify(asStudent)).not.toContain("Words the instructor hid");
  });
});

// Last: it changes the text the tests above read.
describe("findReviewThreads: after an instructor edits the words of a passage", () => {
  it("quotes the passage as the text reads now, keeping the words it was made on as history", async () => {
    const documentId = seminar.documentId as string;
    await replaceWords(documentId, { in: "the exotic Mexico", words: "exotic", with: "picturesque" });
    await replaceWords(documentId, { in: "Octavio Fernández", words: " ", with: " E. " });
    expect(await entry(sol, "T3")).toMatchObject({
      quote: "the savage, the picturesque Mexico",
      originalQuote: "the savage, the exotic Mexico",
    });
    // The same for the viewer's own private note, read from their notes room.
    expect(await entry(sol, "N1")).toMatchObject({
      quote: "Octavio E. Fernández",
      originalQuote: "Octavio Fernández",
    });
    // A passage whose words did not change has no history.
    expect(await entry(sol, "T2")).toMatchObject({
      quote: "the world became a planet with no visa",
      originalQuote: null,
    });
    // Read again at the same state of the text, the places (and their words) come from
    // loadCurrentText's cache: the same current words, for another viewer too.
    expect(await entry(iris, "T3")).toMatchObject({
      quote: "the savage, the picturesque Mexico",
      originalQuote: "the savage, the exotic Mexico",
    });
    expect(await entry(sol, "N1")).toMatchObject({
      quote: "Octavio E. Fernández",
      originalQuote: "Octavio Fernández",
    });
  });
});
