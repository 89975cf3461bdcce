import { beforeAll, describe, expect, it } from "vitest";
import { deleteComment } from "../../lib/server/annotations/delete-comment";
import { updateComment } from "../../lib/server/annotations/update-comment";
import { db } from "../../lib/server/db";
import { getParagraphActivity } from "../../lib/server/review/get-paragraph-activity";
import { getParticipation } from "../../lib/server/review/get-participation";
import type { ParticipantActivity, ParticipationReport } from "../../lib/shared/review/review-types";
import { buildSeminar, buildUser } from "../helpers/factories";
import { reply, startThread, writePrivateNote } from "../helpers/discussion";

type User = Awaited<ReturnType<typeof buildUser>>;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let iris: User;
let sol: User;
let ona: User;
let quiet: User;
let report: ParticipationReport;

const RAGING = "raging dogs that must be brought down";
const PITY = "must be brought down with no pity";
const RIVERA = "Diego Rivera, the famous Mexican muralist";

beforeAll(async () => {
  iris = await buildUser({ name: "Iris Instructor" });
  sol = await buildUser({ name: "Sol Student" });
  ona = await buildUser({ name: "Ona Other" });
  quiet = await buildUser({ name: "Quinn Quiet" });
  seminar = await buildSeminar({ instructor: iris, students: [sol, ona, quiet] });

  // Sol: two overlapping highlights (one passage), a comment thread, a reply.
  await startThread(sol, seminar, { kind: "HIGHLIGHT", phrase: RAGING });
  await startThread(sol, seminar, { kind: "HIGHLIGHT", phrase: PITY });
  await startThread(sol, seminar, { kind: "COMMENT", phrase: RIVERA, text: "Rivera mattered more." });
  const question = await startThread(iris, seminar, {
    kind: "GUIDING_QUESTION",
    phrase: "the savage, the exotic Mexico",
    text: "Whose gaze calls Mexico savage?",
  });
  await reply(sol, question, "The civilized world's gaze, surely.");
  // Ona: a reply an instructor hid (it still counts: she wrote it), and one she deleted (it does not).
  const hidden = await reply(ona, question, "Perhaps the surrealists.");
  await updateComment({ userId: iris.id }, hidden, { hidden: true });
  const deleted = await reply(ona, question, "Never mind this one.");
  await deleteComment({ userId: ona.id }, deleted);
  // Private notes are nobody's business but their owner's: they never count.
  await writePrivateNote(seminar.documentId as string, sol.id, {
    phrase: "Octavio Fernández",
    text: "Look up",
  });

  report = await getParticipation({ userId: iris.id }, seminar.id, seminar.documentId as string);
});

const row = (user: { id: string }) =>
  report.participants.find((participant) => participant.id === user.id) as ParticipantActivity;

describe("getParticipation", () => {
  it("lists every member, the silent ones too, by name", () => {
    expect(report.participants.map((participant) => [participant.name, participant.role])).toEqual([
      ["Iris Instructor", "INSTRUCTOR"],
      ["Ona Other", "STUDENT"],
      ["Quinn Quiet", "STUDENT"],
      ["Sol Student", "STUDENT"],
    ]);
    expect(row(quiet)).toMatchObject({
      highlights: 0,
      comments: 0,
      replies: 0,
      words: 0,
      passages: 0,
      charactersCovered: 0,
      firstActivityAt: null,
      lastActivityAt: null,
    });
  });

  it("counts highlights, comment threads, replies and words", () => {
    expect(row(sol)).toMatchObject({ highlights: 2, comments: 1, replies: 1, words: 3 + 5 });
    expect(row(iris)).toMatchObject({ highlights: 0, comments: 1, replies: 0, words: 5 });
    // The hidden reply counts; the deleted one does not.
    expect(row(ona)).toMatchObject({ highlights: 0, comments: 0, replies: 1, words: 3 });
  });

  it("counts distinct passages (overlapping ranges once) and the characters they cover", () => {
    const union = "raging dogs that must be brought down with no pity";
    expect(row(sol).passages).toBe(2);
    expect(row(sol).charactersCovered).toBe(union.length + RIVERA.length);
    expect(row(iris).passages).toBe(1);
  });

  it("measures against the current text", async () => {
    const document = await db.document.findUniqueOrThrow({ where: { id: seminar.documentId as string } });
    expect(report.textLength).toBe(document.plainText.length);
  });

  it("gives first and last activity", async () => {
    const sols = await db.comment.findMany({ where: { authorId: sol.id }, orderBy: { createdAt: "asc" } });
    const first = await db.annotation.findFirstOrThrow({
      where: { authorId: sol.id },
      orderBy: { createdAt: "asc" },
    });
    expect(row(sol).firstActivityAt).toBe(first.createdAt.toISOString());
    expect(row(sol).lastActivityAt).toBe(sols[sols.length - 1]?.createdAt.toISOString());
  });

  it("leaves private notes out of every count", () => {
    // Sol's note on "Octavio Fernández" adds no highlight, comment, word or passage.
    expect(row(sol).passages).toBe(2);
    expect(report.paragraphs.reduce((sum, paragraph) => sum + paragraph.threads, 0)).toBe(4);
  });

  it("per paragraph of the current text: the threads anchored in it and their comments", () => {
    const byLabel = new Map(report.paragraphs.map((paragraph) => [paragraph.label, paragraph]));
    expect(report.paragraphs[0]).toMatchObject({ kind: "title", label: "Title" });
    // The first paragraph holds both highlights; the third the question with its live comments.
    expect(byLabel.get("Paragraph 1")).toMatchObject({ threads: 2, comments: 0 });
    expect(byLabel.get("Paragraph 3")).toMatchObject({ threads: 1, comments: 3 });
    expect(byLabel.get("Paragraph 4")).toMatchObject({ threads: 1, comments: 1 });
    expect(byLabel.get("Paragraph 2")).toMatchObject({ threads: 0, comments: 0 });
    const text = (label: string) =>
      byLabel
        .get(label)
        ?.segments.map((segment) => ("text" in segment ? segment.text : ""))
        .join("");
    expect(text("Paragraph 1")).toContain(RAGING);
    expect(report.paragraphs.some((paragraph) => paragraph.kind === "quote")).toBe(true);
    expect(report.paragraphs.some((paragraph) => paragraph.kind === "note")).toBe(true);
  });

  it("is for instructors: a student is refused, a non-member gets not_found", async () => {
    await expect(
      getParticipation({ userId: sol.id }, seminar.id, seminar.documentId as string),
    ).rejects.toMatchObject({ code: "forbidden" });
    const outsider = await buildUser();
    await expect(
      getParticipation({ userId: outsider.id }, seminar.id, seminar.documentId as string),
    ).rejects.toMatchObject({ code: "not_found" });
  });

  it("the paragraph strip alone is open to every member, and equals the instructors' one", async () => {
    const paragraphs = await getParagraphActivity(
      { userId: sol.id },
      seminar.id,
      seminar.documentId as string,
    );
    expect(paragraphs).toEqual(report.paragraphs);
  });
});
