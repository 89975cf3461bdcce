/**
 * Reactions: "helpful" on any comment, "I have the same question" on guiding
 * questions' comments; one per person and kind, toggled; the counts reach the
 * seminar room and the post-first view rooms; non-members and comments the gate
 * hides answer not_found.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { ProjectedComment } from "../../lib/shared/annotations/types";
import { setReaction } from "../../lib/server/annotations/react-to-comment";
import { updateComment } from "../../lib/server/annotations/update-comment";
import { db } from "../../lib/server/db";
import { renderCsv } from "../../lib/server/exports/csv";
import { noteHtml } from "../../lib/server/exports/html/notes";
import { renderJsonLd } from "../../lib/server/exports/jsonld";
import { loadExportData } from "../../lib/server/exports/load-export-data";
import { renderMarkdown } from "../../lib/server/exports/markdown";
import { loadRoomDoc } from "../../lib/server/realtime/load-room-doc";
import { findReviewThreads } from "../../lib/server/review/find-review-threads";
import { ensureViewRoom } from "../../lib/server/realtime/view-rooms";
import { updateReading } from "../../lib/server/seminars/update-reading";
import { ROOT_TYPES, roomName } from "../../lib/shared/rooms";
import { receivedComment, reply, startThread } from "../helpers/discussion";
import { buildSeminar, buildUser } from "../helpers/factories";
import { decodeRoomEntry } from "../../lib/shared/annotations/room-entries";

type User = Awaited<ReturnType<typeof buildUser>>;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let ada: User;
let ben: User;
let outsider: User;
let adaComment: string;
let questionReply: string;

/** The comment as members receive it: in the room, or in its thread's body (docs/adr/0027). */
async function roomComment(commentId: string): Promise<ProjectedComment> {
  return (await receivedComment(seminar, commentId, seminar.instructor.id)) as ProjectedComment;
}

beforeAll(async () => {
  ada = await buildUser({ name: "Ada Author" });
  ben = await buildUser({ name: "Ben Reader" });
  outsider = await buildUser({ name: "Out Sider" });
  seminar = await buildSeminar({ students: [ada, ben] });
  const thread = await startThread(ada, seminar, {
    kind: "COMMENT",
    phrase: "raging dogs that must be brought down",
    text: "A first thought",
  });
  adaComment = await reply(ada, thread, "A reply worth reading");
  const question = await startThread(seminar.instructor, seminar, {
    kind: "GUIDING_QUESTION",
    phrase: "brought down",
    text: "Why dogs?",
  });
  questionReply = await reply(ada, question, "Because they are loyal?");
});

describe("reactions", () => {
  it("counts one helpful per person, however often it is sent, and toggles it off", async () => {
    expect(await setReaction({ userId: ben.id }, adaComment, "helpful", true)).toEqual({
      commentId: adaComment,
      kind: "helpful",
      count: 1,
      reacted: true,
    });
    expect(await setReaction({ userId: ben.id }, adaComment, "helpful", true)).toMatchObject({ count: 1 });
    expect(await setReaction({ userId: seminar.instructor.id }, adaComment, "helpful", true)).toMatchObject({
      count: 2,
    });
    expect((await roomComment(adaComment)).reactions).toEqual({
      helpful: [ben.id, seminar.instructor.id],
      "same-question": [],
    });
    expect(await setReaction({ userId: ben.id }, adaComment, "helpful", false)).toMatchObject({
      count: 1,
      reacted: false,
    });
    expect(await setReaction({ userId: ben.id }, adaComment, "helpful", false)).toMatchObject({ count: 1 });
    expect((await roomComment(adaComment)).reactions?.helpful).toEqual([seminar.instructor.id]);
    expect(await db.reaction.count({ where: { commentId: adaComment } })).toBe(1);
  });

  it("carries the names of who reacted beside their ids (reactions are not anonymous, docs/adr/0022)", async () => {
    await setReaction({ userId: ben.id }, adaComment, "helpful", true);
    expect((await roomComment(adaComment)).reactorNames).toEqual({
      [seminar.instructor.id]: seminar.instructor.name,
      [ben.id]: "Ben Reader",
    });
    await setReaction({ userId: ben.id }, adaComment, "helpful", false);
    expect((await roomComment(adaComment)).reactorNames).toEqual({
      [seminar.instructor.id]: seminar.instructor.name,
    });
  });

  it("offers “I have the same question” only on guiding questions", async () => {
    expect(await setReaction({ userId: ben.id }, questionReply, "same-question", true)).toMatchObject({
      count: 1,
    });
    expect((await roomComment(questionReply)).reactions?.["same-question"]).toEqual([ben.id]);
    await expect(setReaction({ userId: ben.id }, adaComment, "same-question", true)).rejects.toMatchObject({
      code: "invalid_input",
    });
    await expect(setReaction({ userId: ben.id }, adaComment, "love", true)).rejects.toMatchObject({
      code: "invalid_input",
    });
  });

  it("answers not_found to non-members and unauthenticated to nobody", async () => {
    await expect(setReaction({ userId: outsider.id }, adaComment, "helpful", true)).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(
      setReaction({ userId: outsider.id }, "no-such-comment", "helpful", true),
    ).rejects.toMatchObject({ code: "not_found" });
    await expect(setReaction(null, adaComment, "helpful", true)).rejects.toMatchObject({
      code: "unauthenticated",
    });
  });

  it("refuses hidden comments and keeps their reactions out of the room", async () => {
    const { annotationId } = await db.comment.findUniqueOrThrow({ where: { id: adaComment } });
    const hidden = await reply(ada, annotationId, "Soon hidden");
    await setReaction({ userId: ben.id }, hidden, "helpful", true);
    await updateComment({ userId: seminar.instructor.id }, hidden, { hidden: true });
    expect((await roomComment(hidden)).reactions).toEqual({ helpful: [], "same-question": [] });
    expect((await roomComment(hidden)).reactorNames).toEqual({});
    await expect(setReaction({ userId: ben.id }, hidden, "helpful", false)).rejects.toMatchObject({
      code: "conflict",
    });
  });

  it("carries the counts into every export", async () => {
    const data = await loadExportData(
      { userId: seminar.instructor.id },
      seminar.id,
      seminar.documentId as string,
      { layers: "seminar" },
    );
    const thread = data.threads.find((entry) => entry.comments.some((comment) => comment.id === adaComment));
    const comment = thread?.comments.find((entry) => entry.id === adaComment);
    expect(comment?.reactionCounts).toEqual({ helpful: 1, sameQuestion: 0 });

    const csv = renderCsv(data).split("\r\n");
    const header = csv[0]!.replace("\uFEFF", "").split(",");
    const row = csv.find((line) => line.includes(adaComment))!.split(",");
    expect(row[header.indexOf('"helpful"')]).toBe('"1"');
    expect(row[header.indexOf('"same question"')]).toBe('"0"');

    const jsonld = JSON.parse(renderJsonLd(data, "https://marginalia.test")) as {
      first: { items: { id: string; "https://schema.org/interactionStatistic"?: unknown }[] };
    };
    const annotation = jsonld.first.items.find((item) => item.id.endsWith(adaComment));
    expect(annotation?.["https://schema.org/interactionStatistic"]).toEqual([
      {
        "@type": "https://schema.org/InteractionCounter",
        "https://schema.org/name": "helpful",
        "https://schema.org/userInteractionCount": 1,
      },
    ]);
    expect(renderMarkdown(data, "https://marginalia.test")).toContain("(1 found it helpful)");
    const question = data.threads.find((entry) => entry.comments.some((c) => c.id === questionReply))!;
    expect(noteHtml(question, { where: "margin" })).toContain("1 has the same question");
  });

  it("lets the review page sort by reactions", async () => {
    const result = await findReviewThreads(
      { userId: seminar.instructor.id },
      seminar.id,
      seminar.documentId as string,
      { sort: "reactions" },
    );
    const counts = result.threads.map((thread) => thread.reactionCount);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(counts[0]).toBeGreaterThan(0);
  });

  it("hides classmates' comments behind the post-first gate, and carries counts into view rooms", async () => {
    const cal = await buildUser({ name: "Cal Newcomer" });
    await db.membership.create({ data: { userId: cal.id, seminarId: seminar.id, role: "STUDENT" } });
    const reading = await db.reading.findFirstOrThrow({ where: { seminarId: seminar.id } });
    await updateReading({ userId: seminar.instructor.id }, seminar.id, reading.id, { postFirstCount: 1 });
    await expect(setReaction({ userId: cal.id }, adaComment, "helpful", true)).rejects.toMatchObject({
      code: "not_found",
    });
    const question = await db.comment.findUniqueOrThrow({ where: { id: questionReply } });
    const instructorWords = await db.comment.findFirstOrThrow({
      where: { annotationId: question.annotationId, authorId: seminar.instructor.id },
    });
    expect(await setReaction({ userId: cal.id }, instructorWords.id, "helpful", true)).toMatchObject({
      count: 1,
      reacted: true,
    });
    const name = roomName({
      kind: "view",
      seminarId: seminar.id,
      documentId: seminar.documentId as string,
      userId: cal.id,
    });
    await ensureViewRoom(seminar.id, seminar.documentId as string, cal.id);
    const doc = await loadRoomDoc(name);
    try {
      const comments = doc.getMap(ROOT_TYPES.comments);
      expect(
        (decodeRoomEntry(comments.get(instructorWords.id)) as ProjectedComment).reactions?.helpful,
      ).toEqual([cal.id]);
      expect(comments.get(adaComment)).toBeUndefined();
    } finally {
      doc.destroy();
    }
  });
});
