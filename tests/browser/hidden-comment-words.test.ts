/**
 * Instructors read what they hid: after hiding a comment the instructor's margin, review
 * page and snapshots still show its words, marked hidden; the student's show "Hidden by an
 * instructor." and no frame or response their browser receives carries the words.
 */
import { tmpdir } from "node:os";
import path_ from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateComment } from "../../lib/server/annotations/update-comment";
import { db } from "../../lib/server/db";
import { takeSnapshot } from "../../lib/server/snapshots/take-snapshot";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser } from "../helpers/browser";
import { reply, startThread } from "../helpers/discussion";
import { buildSeminar, buildUser } from "../helpers/factories";
import { margin } from "../helpers/reading-page";
import { signInAs } from "../helpers/sign-in";

const WORDS = "an unkind remark about pangolins";
/** A thread's opening words, hidden before anyone opens the review page. */
const OPENING_WORDS = "a rude opening about armadillos";

let app: AppServer;
let browser: Browser;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let student: Awaited<ReturnType<typeof buildUser>>;

beforeAll(async () => {
  student = await buildUser({ name: "Sol Student" });
  const instructor = await buildUser({ name: "Iris Instructor" });
  seminar = await buildSeminar({ instructor, students: [student] });
  const thread = await startThread(instructor, seminar, {
    kind: "GUIDING_QUESTION",
    phrase: "raging dogs that must be brought down",
    text: "Who speaks here?",
  });
  await reply(student, thread, WORDS);
  const hiddenThread = await startThread(student, seminar, {
    kind: "COMMENT",
    phrase: "the savage, the exotic Mexico",
    text: OPENING_WORDS,
  });
  const opening = await db.comment.findFirstOrThrow({ where: { annotationId: hiddenThread } });
  await updateComment({ userId: instructor.id }, opening.id, { hidden: true });
  app = await startAppServer();
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Signs in and opens the reading (the first page of a fresh server can be slow on a loaded machine). */
async function openReading(user: { email: string }, path: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: app.url, viewport: { width: 1400, height: 1000 } });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await signInAs(page, user, { timeout: 30_000 });
  await page.goto(path, { timeout: 30_000 });
  await page.locator(".live-text[data-live='true']").waitFor({ timeout: 20_000 });
  return page;
}

describe("instructors read what they hid", () => {
  it("the instructor hides a reply and still reads it, marked hidden; the student's browser never gets the words", async () => {
    const path = `/seminars/${seminar.id}/readings/${seminar.documentId}`;
    const instructorPage = await openReading(seminar.instructor, path);
    const question = margin(instructorPage).getByRole("article", {
      name: /^Guiding question by Iris Instructor/,
    });
    await question.getByText(WORDS).waitFor();
    await question.getByRole("button", { name: "More actions for Sol Student’s comment" }).click();
    await instructorPage.getByRole("menuitem", { name: "Hide from students" }).click();
    await question.getByText("Hidden from students.").waitFor();
    await question.getByText(WORDS).waitFor();

    const studentPage: Page = await openReading(student, path);
    const received: string[] = [];
    studentPage.on("websocket", (socket) =>
      socket.on("framereceived", ({ payload }) => received.push(Buffer.from(payload).toString("utf8"))),
    );
    studentPage.on("response", (response) => {
      void response.text().then(
        (text) => received.push(text),
        () => undefined,
      );
    });
    await studentPage.reload({ timeout: 30_000 });
    await studentPage.locator(".live-text[data-live='true']").waitFor({ timeout: 20_000 });
    const studentQuestion = margin(studentPage).getByRole("article", {
      name: /^Guiding question by Iris Instructor/,
    });
    await studentQuestion.getByText("Hidden by an instructor.").waitFor();
    expect(await studentPage.getByText(WORDS).count()).toBe(0);
    expect(received.filter((text) => text.includes("pangolins"))).toEqual([]);
  }, 120_000);

  it("the review page shows the instructor a hidden opening comment's words, marked; the student only that it was hidden", async () => {
    const path = `/seminars/${seminar.id}/readings/${seminar.documentId}/review`;
    const entryName = /^Comment by Sol Student on “the savage, the exotic Mexico”/;

    const instructorPage = await openReview(seminar.instructor, path);
    const entry = instructorPage.getByRole("article", { name: entryName });
    await entry.getByText("Hidden from students").waitFor();
    await entry.getByText(OPENING_WORDS).waitFor();
    await entry.screenshot({ path: path_.join(tmpdir(), "marginalia-review-hidden.png") });

    const received: string[] = [];
    const studentPage = await openReview(student, path, received);
    const studentEntry = studentPage.getByRole("article", { name: entryName });
    await studentEntry.getByText("Hidden by an instructor.").waitFor();
    expect(await studentPage.getByText(OPENING_WORDS).count()).toBe(0);
    expect(await studentPage.getByText("Hidden from students").count()).toBe(0);
    expect(received.filter((text) => text.includes("armadillos"))).toEqual([]);
  }, 120_000);
});

describe("instructors read what they hid, in a snapshot", () => {
  it("the snapshot's margin shows the instructor the hidden words, marked; the student neither", async () => {
    const { id } = await takeSnapshot(
      { userId: seminar.instructor.id },
      seminar.id,
      seminar.documentId as string,
      { name: "After moderation" },
    );
    const path = `/seminars/${seminar.id}/readings/${seminar.documentId}/snapshots/${id}`;
    const instructorPage = await openReview(seminar.instructor, path);
    const snapshotMargin = instructorPage.getByRole("complementary", { name: "Margin as of the snapshot" });
    await snapshotMargin.getByText(OPENING_WORDS).waitFor();
    expect(await snapshotMargin.getByText("Hidden from students.").count()).toBe(2);
    await snapshotMargin
      .getByRole("article")
      .last()
      .screenshot({ path: path_.join(tmpdir(), "marginalia-snapshot-hidden.png") });

    const received: string[] = [];
    const studentPage = await openReview(student, path, received);
    const studentMargin = studentPage.getByRole("complementary", { name: "Margin as of the snapshot" });
    await studentMargin.getByText("Hidden by an instructor.").first().waitFor();
    expect(await studentMargin.getByText("Hidden by an instructor.").count()).toBe(2);
    expect(received.filter((text) => /armadillos|pangolins/.test(text))).toEqual([]);
  }, 120_000);
});

/** Signs in and opens a review page, keeping the text of every response in `received`. */
async function openReview(user: { email: string }, path: string, received: string[] = []): Promise<Page> {
  const context = await browser.newContext({ baseURL: app.url, viewport: { width: 1400, height: 1000 } });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.on("response", (response) => {
    void response.text().then(
      (text) => received.push(text),
      () => undefined,
    );
  });
  await signInAs(page, user, { timeout: 30_000 });
  await page.goto(path, { timeout: 30_000 });
  await page.getByRole("heading", { level: 1 }).waitFor({ timeout: 20_000 });
  return page;
}
