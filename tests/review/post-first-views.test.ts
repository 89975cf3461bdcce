/**
 * Post first, then see (docs/adr/0019) beyond the live rooms: the review list, its
 * search, paragraph activity, snapshots and every export format show a student who
 * must still post only instructors' and their own words, and everything once they have.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { exportReading, type EXPORT_FORMATS } from "../../lib/server/exports/export-reading";
import { findReviewThreads } from "../../lib/server/review/find-review-threads";
import { getParagraphActivity } from "../../lib/server/review/get-paragraph-activity";
import { updateReading } from "../../lib/server/seminars/update-reading";
import { getSnapshot } from "../../lib/server/snapshots/get-snapshot";
import { takeSnapshot } from "../../lib/server/snapshots/take-snapshot";
import { reply, startThread } from "../helpers/discussion";
import { buildSeminar, buildUser } from "../helpers/factories";

type User = Awaited<ReturnType<typeof buildUser>>;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let student: User;
let classmate: User;
let documentId: string;
let snapshotId: string;
const SECRET = "zebrafinch";
const ids: Record<string, string> = {};

beforeAll(async () => {
  student = await buildUser({ name: "Sol Student" });
  classmate = await buildUser({ name: "Ona Classmate" });
  seminar = await buildSeminar({ students: [student, classmate] });
  documentId = seminar.documentId as string;
  ids.question = await startThread(seminar.instructor, seminar, {
    kind: "GUIDING_QUESTION",
    phrase: "raging dogs that must be brought down",
    text: "Who speaks here?",
  });
  await reply(classmate, ids.question, `A classmate's ${SECRET} answer`);
  ids.classmate = await startThread(classmate, seminar, {
    kind: "COMMENT",
    phrase: "the world became a planet with no visa",
    text: `The ${SECRET} thread`,
  });
  ids.own = await startThread(student, seminar, {
    kind: "COMMENT",
    phrase: "the savage, the exotic Mexico",
    text: "My own reading",
  });
  snapshotId = (
    await takeSnapshot({ userId: seminar.instructor.id }, seminar.id, documentId, { name: "Week 1" })
  ).id;
  const reading = await db.reading.findFirstOrThrow({ where: { seminarId: seminar.id, documentId } });
  await updateReading({ userId: seminar.instructor.id }, seminar.id, reading.id, { postFirstCount: 2 });
});

async function reviewAs(user: User, query: Record<string, unknown> = {}) {
  return findReviewThreads({ userId: user.id }, seminar.id, documentId, query);
}

async function exportText(user: User, format: (typeof EXPORT_FORMATS)[number], options = {}) {
  const file = await exportReading(
    { userId: user.id },
    seminar.id,
    documentId,
    format,
    options,
    "http://localhost",
  );
  return new Response(file.body as BodyInit).text();
}

describe("post first, then see, outside the live rooms", () => {
  it("lists only instructors' threads and the student's own, without classmates' replies", async () => {
    const result = await reviewAs(student);
    expect(result.threads.map((thread) => thread.id).sort()).toEqual([ids.question, ids.own].sort());
    expect(result.threads.find((thread) => thread.id === ids.question)?.replyCount).toBe(0);
    expect((await reviewAs(student, { q: SECRET })).threads).toEqual([]);
    expect((await reviewAs(student, { q: "speaks" })).threads.map((thread) => thread.id)).toEqual([
      ids.question,
    ]);
    // A classmate who has posted once is still locked; the instructor sees everything.
    expect((await reviewAs(seminar.instructor)).threads).toHaveLength(3);
  });

  it("counts paragraph activity from what the student may see", async () => {
    const total = (activity: { threads: number; comments: number }[]) =>
      activity.reduce(
        (sum, paragraph) => ({
          threads: sum.threads + paragraph.threads,
          comments: sum.comments + paragraph.comments,
        }),
        { threads: 0, comments: 0 },
      );
    expect(total(await getParagraphActivity({ userId: student.id }, seminar.id, documentId))).toEqual({
      threads: 2,
      comments: 2,
    });
    expect(
      total(await getParagraphActivity({ userId: seminar.instructor.id }, seminar.id, documentId)),
    ).toEqual({ threads: 3, comments: 4 });
  });

  it("leaves classmates' words out of snapshots and every export format", async () => {
    const snapshot = await getSnapshot({ userId: student.id }, seminar.id, documentId, snapshotId);
    expect(snapshot.threads.map((thread) => thread.id).sort()).toEqual([ids.question, ids.own].sort());
    expect(JSON.stringify(snapshot)).not.toContain(SECRET);
    for (const format of ["md", "csv", "jsonld", "html"] as const) {
      const live = await exportText(student, format);
      expect(live, format).toContain("My own reading");
      expect(live, format).not.toContain(SECRET);
      expect(await exportText(student, format, { snapshotId }), `${format} of the snapshot`).not.toContain(
        SECRET,
      );
      expect(await exportText(seminar.instructor, format), `${format} for the instructor`).toContain(SECRET);
    }
  });

  it("shows everything once the student has posted enough", async () => {
    await reply(student, ids.question as string, "My answer");
    const result = await reviewAs(student);
    expect(result.threads).toHaveLength(3);
    expect(await exportText(student, "md")).toContain(SECRET);
  });
});
