/**
 * The margin's preview before the seminar room syncs (findFirstThreads): the
 * reading's first open threads in the order of the text, read-only, with the
 * margin's default filter and the same secrecy as the room (hidden words stay
 * hidden, a student who must post first sees none, outsiders learn nothing).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { anchorFromRow } from "../../lib/server/annotations/anchor-bytes";
import {
  findFirstPassages,
  findFirstThreads,
  findReadingPreview,
} from "../../lib/server/annotations/find-first-threads";
import { updateAnnotation } from "../../lib/server/annotations/update-annotation";
import { updateComment } from "../../lib/server/annotations/update-comment";
import { db } from "../../lib/server/db";
import { updateReading } from "../../lib/server/seminars/update-reading";
import { reply, startThread } from "../helpers/discussion";
import { buildSeminar, buildUser } from "../helpers/factories";

type User = Awaited<ReturnType<typeof buildUser>>;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let ada: User;
let cal: User;
let outsider: User;
/** Thread ids in the order their passages come in the essay. */
let dogs: string;
let planet: string;
let savage: string;
let zapata: string;
let octavio: string;
let hiddenComment: string;

beforeAll(async () => {
  ada = await buildUser({ name: "Ada Author" });
  cal = await buildUser({ name: "Cal Classmate" });
  outsider = await buildUser({ name: "Out Sider" });
  seminar = await buildSeminar({ students: [ada, cal] });
  // Written out of text order: the preview orders by the passage, not by when.
  savage = await startThread(ada, seminar, {
    kind: "COMMENT",
    phrase: "the savage, the exotic Mexico",
    text: "Whose Mexico is this?",
  });
  dogs = await startThread(cal, seminar, {
    kind: "HIGHLIGHT",
    phrase: "raging dogs that must be brought down",
  });
  octavio = await startThread(cal, seminar, {
    kind: "COMMENT",
    phrase: "Octavio Fernández",
    text: "Something unkind about a classmate",
  });
  planet = await startThread(seminar.instructor, seminar, {
    kind: "GUIDING_QUESTION",
    phrase: "the world became a planet with no visa",
    text: "What does a visa stand for here?",
  });
  zapata = await startThread(ada, seminar, { kind: "COMMENT", phrase: "Emiliano Zapata", text: "Resolved." });
  await reply(cal, savage, "The newspapers'.");
  await updateAnnotation({ userId: seminar.instructor.id }, zapata, { resolved: true });
  hiddenComment = (await db.comment.findFirstOrThrow({ where: { annotationId: octavio } })).id;
  await updateComment({ userId: seminar.instructor.id }, hiddenComment, { hidden: true });
});

describe("the margin's preview of the first threads", () => {
  it("lists the open threads in the order of the text, with their first comment and reply count", async () => {
    const threads = await findFirstThreads({ userId: ada.id }, seminar.id, seminar.documentId as string, 10);
    expect(threads.map((thread) => thread.id)).toEqual([dogs, planet, savage, octavio]);
    const [highlight, question, comment] = threads;
    expect(highlight).toMatchObject({ kind: "HIGHLIGHT", firstComment: null, replyCount: 0 });
    expect(question).toMatchObject({
      kind: "GUIDING_QUESTION",
      author: { isInstructor: true },
      firstComment: { text: "What does a visa stand for here?", isHidden: false },
    });
    expect(comment).toMatchObject({
      quote: "the savage, the exotic Mexico",
      firstComment: { authorName: "Ada Author", text: "Whose Mexico is this?" },
      replyCount: 1,
    });
  });

  it("stops at the limit", async () => {
    const threads = await findFirstThreads({ userId: cal.id }, seminar.id, seminar.documentId as string, 2);
    expect(threads.map((thread) => thread.id)).toEqual([dogs, planet]);
  });

  it("shows a hidden comment as hidden, without its words, to everyone", async () => {
    for (const viewer of [cal, seminar.instructor]) {
      const threads = await findFirstThreads({ userId: viewer.id }, seminar.id, seminar.documentId as string);
      const hidden = threads.find((thread) => thread.id === octavio);
      expect(hidden?.firstComment).toEqual({ authorName: "Cal Classmate", text: null, isHidden: true });
      expect(JSON.stringify(threads)).not.toContain("unkind");
    }
  });

  it("gives the first screen's passages: open threads in the order of the text, with their anchors", async () => {
    const documentId = seminar.documentId as string;
    const passages = await findFirstPassages({ userId: cal.id }, seminar.id, documentId);
    expect(passages.map((passage) => passage.id)).toEqual([dogs, planet, savage, octavio]);
    const rows = await db.annotation.findMany({ where: { id: { in: [dogs, planet, savage, octavio] } } });
    for (const passage of passages) {
      const row = rows.find((candidate) => candidate.id === passage.id);
      expect(passage.anchor).toEqual(anchorFromRow(row as NonNullable<typeof row>));
      expect(passage.createdAt).toBe(row?.createdAt.toISOString());
    }
    expect(passages[1]).toMatchObject({ kind: "GUIDING_QUESTION", authorName: seminar.instructor.name });
    // Comments are not part of a passage: the hidden words cannot be there.
    expect(JSON.stringify(passages)).not.toContain("unkind");
  });

  it("stops the passages at their reach into the text and at their limit", async () => {
    const documentId = seminar.documentId as string;
    const start = async (id: string) =>
      (await db.annotation.findUniqueOrThrow({ where: { id } })).positionStart;
    // Up to the savage passage's start: dogs and planet begin before it.
    const near = await findFirstPassages({ userId: cal.id }, seminar.id, documentId, {
      chars: await start(savage),
      limit: 10,
    });
    expect(near.map((passage) => passage.id)).toEqual([dogs, planet]);
    const limited = await findFirstPassages({ userId: cal.id }, seminar.id, documentId, {
      chars: 100_000,
      limit: 1,
    });
    expect(limited.map((passage) => passage.id)).toEqual([dogs]);
  });

  it("keeps only the newest of the passages that begin at the same character", async () => {
    const documentId = seminar.documentId as string;
    const sameStart = await startThread(ada, seminar, { kind: "HIGHLIGHT", phrase: "raging dogs" });
    const [dogsRow, sameRow] = await Promise.all(
      [dogs, sameStart].map((id) => db.annotation.findUniqueOrThrow({ where: { id } })),
    );
    expect(sameRow?.positionStart).toBe(dogsRow?.positionStart);
    const passages = await findFirstPassages({ userId: cal.id }, seminar.id, documentId);
    expect(passages.map((passage) => passage.id)).toEqual([sameStart, planet, savage, octavio]);
    await db.annotation.update({ where: { id: sameStart }, data: { deletedAt: new Date() } });
  });

  it("carries a category's colour with the passage", async () => {
    const category = await db.category.create({
      data: { seminarId: seminar.id, name: "Imagery", color: "#2a6f4e", position: 9 },
    });
    await db.annotation.update({ where: { id: planet }, data: { categoryId: category.id } });
    const passages = await findFirstPassages({ userId: cal.id }, seminar.id, seminar.documentId as string);
    expect(passages.find((passage) => passage.id === planet)).toMatchObject({
      categoryId: category.id,
      color: "#2a6f4e",
    });
    // A colour that is not one (written around the API's check) is not drawn into a style.
    await db.category.update({ where: { id: category.id }, data: { color: "red; background: url(x)" } });
    const unchecked = await findFirstPassages({ userId: cal.id }, seminar.id, seminar.documentId as string);
    expect(unchecked.find((passage) => passage.id === planet)).toMatchObject({ color: null });
    await db.annotation.update({ where: { id: planet }, data: { categoryId: null } });
  });

  it("tells outsiders nothing and shows a student who must post first nothing", async () => {
    const documentId = seminar.documentId as string;
    await expect(findFirstThreads({ userId: outsider.id }, seminar.id, documentId)).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(findFirstThreads(null, seminar.id, documentId)).rejects.toMatchObject({
      code: "unauthenticated",
    });
    const newcomer = await buildUser({ name: "Nia Newcomer" });
    await db.membership.create({ data: { userId: newcomer.id, seminarId: seminar.id, role: "STUDENT" } });
    const reading = await db.reading.findFirstOrThrow({ where: { seminarId: seminar.id } });
    await updateReading({ userId: seminar.instructor.id }, seminar.id, reading.id, { postFirstCount: 1 });
    expect(await findFirstThreads({ userId: newcomer.id }, seminar.id, documentId)).toEqual([]);
    expect(await findFirstPassages({ userId: newcomer.id }, seminar.id, documentId)).toEqual([]);
    await expect(findFirstPassages({ userId: outsider.id }, seminar.id, documentId)).rejects.toMatchObject({
      code: "not_found",
    });
    // The page's read of both: nothing for the outsider (the page itself answers 404 first).
    expect(await findReadingPreview({ userId: outsider.id }, seminar.id, documentId)).toEqual({
      threads: [],
      passages: [],
    });
    expect(await findReadingPreview({ userId: newcomer.id }, seminar.id, documentId)).toEqual({
      threads: [],
      passages: [],
    });
    // Those who have posted still see the preview, the page's read holding both lists.
    expect((await findFirstThreads({ userId: ada.id }, seminar.id, documentId)).length).toBeGreaterThan(0);
    expect(await findReadingPreview({ userId: ada.id }, seminar.id, documentId)).toEqual({
      threads: await findFirstThreads({ userId: ada.id }, seminar.id, documentId),
      passages: await findFirstPassages({ userId: ada.id }, seminar.id, documentId),
    });
  });
});
