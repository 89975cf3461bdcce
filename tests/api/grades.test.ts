import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import type { ReadingGrades } from "../../lib/shared/grades/grade-types";
import { DEFAULT_RUBRIC } from "../../lib/shared/grades/score";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { buildSeminar, buildUser } from "../helpers/factories";
import { reply, startThread, writePrivateNote } from "../helpers/discussion";
import { HttpSession, signedInAs } from "../helpers/http-session";

type User = Awaited<ReturnType<typeof buildUser>>;
type ErrorBody = { error: { code: string; message: string; details?: { field?: string } } };
let app: AppServer;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let iris: User;
let sol: User;
let ona: User;
let outsider: User;

const RUBRIC = { threadPoints: 3, replyPoints: 1, maxPoints: 5, minWords: 3, onTimeOnly: false };

beforeAll(async () => {
  iris = await buildUser({ name: "Iris Instructor" });
  sol = await buildUser({ name: "Sol Student" });
  // A name a spreadsheet would run as a formula, were it not defused.
  ona = await buildUser({ name: '=HYPERLINK("http://evil.test","Ona")' });
  outsider = await buildUser({ name: "Otto Outsider" });
  seminar = await buildSeminar({ instructor: iris, students: [sol, ona] });
  await buildSeminar({ instructor: outsider });

  const question = await startThread(iris, seminar, {
    kind: "GUIDING_QUESTION",
    phrase: "the savage, the exotic Mexico",
    text: "Whose gaze calls Mexico savage?",
  });
  // Sol: a thread (counts), a reply (counts), a one-word reply (too short), a highlight and a private note (never count).
  await startThread(sol, seminar, {
    kind: "COMMENT",
    phrase: "Diego Rivera, the famous Mexican muralist",
    text: "Rivera mattered more than Trotsky here.",
  });
  await reply(sol, question, "The civilized world's gaze, surely.");
  await reply(sol, question, "Yes.");
  await startThread(sol, seminar, { kind: "HIGHLIGHT", phrase: "raging dogs that must be brought down" });
  await writePrivateNote(seminar.documentId as string, sol.id, {
    phrase: "Octavio Fernández",
    text: "A private note of many words that must never count",
  });
  await reply(ona, question, "Perhaps the surrealists saw it.");
  app = await startAppServer();
}, 300_000);

afterAll(async () => {
  await app?.stop();
});

const as = signedInAs(() => app.url);
const grades = () => `/api/seminars/${seminar.id}/documents/${seminar.documentId}/grades`;
const gradebook = () => `/api/seminars/${seminar.id}/gradebook`;

describe("grades over HTTP", () => {
  it("keeps everything from non-members (404) and signed-out visitors (401)", async () => {
    const session = await as(outsider);
    expect((await session.getJson<ErrorBody>(grades())).status).toBe(404);
    expect((await session.sendJson("PUT", grades(), RUBRIC)).status).toBe(404);
    expect((await session.sendJson("PUT", `${grades()}/${sol.id}`, { score: 1, reason: "x" })).status).toBe(
      404,
    );
    expect((await session.request("GET", gradebook())).status).toBe(404);
    expect((await new HttpSession(app.url).getJson(grades())).status).toBe(401);
  });

  it("lets a student see their own score, with the default rubric, and no one else's", async () => {
    const session = await as(sol);
    const { status, body } = await session.getJson<ReadingGrades>(grades());
    expect(status).toBe(200);
    expect(body.rubric).toEqual(DEFAULT_RUBRIC);
    expect(body.mayGrade).toBe(false);
    expect(body.grades).toHaveLength(1);
    expect(body.grades[0]).toMatchObject({ studentId: sol.id, email: null, override: null });
    expect(JSON.stringify(body)).not.toContain(ona.id);
  });

  it("refuses students the rubric, overrides and the gradebook (403)", async () => {
    const session = await as(sol);
    const rubric = await session.sendJson<ErrorBody>("PUT", grades(), RUBRIC);
    expect(rubric.status).toBe(403);
    const own = await session.sendJson<ErrorBody>("PUT", `${grades()}/${sol.id}`, {
      score: 5,
      reason: "mine",
    });
    expect(own.status).toBe(403);
    expect((await session.request("DELETE", `${grades()}/${sol.id}`)).status).toBe(403);
    expect((await session.request("GET", gradebook())).status).toBe(403);
  });

  it("lets the instructor set a rubric, refusing a bad one with the field named", async () => {
    const session = await as(iris);
    const bad = await session.sendJson<ErrorBody>("PUT", grades(), { ...RUBRIC, minWords: -2 });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "invalid_input", details: { field: "minWords" } });
    const good = await session.sendJson<{ rubric: unknown }>("PUT", grades(), RUBRIC);
    expect(good).toMatchObject({ status: 200, body: { rubric: RUBRIC } });

    const { body } = await session.getJson<ReadingGrades>(grades());
    expect(body.rubric).toEqual(RUBRIC);
    expect(body.mayGrade).toBe(true);
    const solRow = body.grades.find((grade) => grade.studentId === sol.id);
    // One thread (3) and one reply (1) count; "Yes." is too short; highlights and notes earn nothing.
    expect(solRow).toMatchObject({
      email: sol.email,
      computed: { threads: 1, replies: 1, tooShort: 1, late: 0, points: 4, maxPoints: 5 },
      score: 4,
    });
    expect(body.grades.find((grade) => grade.studentId === ona.id)).toMatchObject({ score: 1 });
    // Instructors are not graded.
    expect(body.grades.map((grade) => grade.studentId)).not.toContain(iris.id);
  });

  it("overrides a score with a reason, shown beside the computed one, and clears it", async () => {
    const session = await as(iris);
    const url = `${grades()}/${sol.id}`;
    const noReason = await session.sendJson<ErrorBody>("PUT", url, { score: 5, reason: "  " });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details?.field).toBe("reason");
    expect((await session.sendJson<ErrorBody>("PUT", url, { score: -1, reason: "r" })).status).toBe(400);
    expect((await session.sendJson<ErrorBody>("PUT", url, { score: "5", reason: "r" })).status).toBe(400);
    // Only students have scores.
    expect((await session.sendJson("PUT", `${grades()}/${iris.id}`, { score: 1, reason: "r" })).status).toBe(
      404,
    );

    const saved = await session.sendJson<{ override: { score: number; reason: string; setByName: string } }>(
      "PUT",
      url,
      { score: 4.5, reason: "Led the discussion in class." },
    );
    expect(saved).toMatchObject({
      status: 200,
      body: {
        override: { score: 4.5, reason: "Led the discussion in class.", setByName: "Iris Instructor" },
      },
    });
    const stored = await db.gradeOverride.findFirstOrThrow({ where: { studentId: sol.id } });
    expect(stored).toMatchObject({ setById: iris.id, score: 4.5 });

    // The student sees the override, its reason, and what the computed score was.
    const student = await (await as(sol)).getJson<ReadingGrades>(grades());
    expect(student.body.grades[0]).toMatchObject({
      score: 4.5,
      computed: { points: 4 },
      override: { reason: "Led the discussion in class." },
    });

    expect(await session.sendJson("DELETE", url)).toMatchObject({ status: 200, body: { cleared: true } });
    const after = await session.getJson<ReadingGrades>(grades());
    expect(after.body.grades.find((grade) => grade.studentId === sol.id)).toMatchObject({
      score: 4,
      override: null,
    });
    await session.sendJson("PUT", url, { score: 4.5, reason: "Led the discussion in class." });
  });

  it("downloads a gradebook CSV: one row per student, one column per reading, formulas defused", async () => {
    const session = await as(iris);
    const response = await session.request("GET", gradebook());
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="[a-z0-9-]+-gradebook\.csv"$/,
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    // The UTF-8 byte order mark first, so spreadsheet apps read accents right.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).split("\r\n");
    expect(lines.at(-1)).toBe("");
    const reading = await db.document.findUniqueOrThrow({
      where: { id: seminar.documentId as string },
      select: { title: true },
    });
    expect(lines[0]).toBe(`"Student","Email address","SIS Login ID","${reading.title} (5 pts)"`);
    expect(lines.slice(1, -1)).toEqual([
      // The formula-like name sorts first and gets a leading apostrophe.
      `"'=HYPERLINK(""http://evil.test"",""Ona"")","${ona.email}","${ona.email}","1"`,
      `"Sol Student","${sol.email}","${sol.email}","4.5"`,
    ]);
  });
});
