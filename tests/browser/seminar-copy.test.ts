/**
 * "Edit a copy for this seminar" in Chromium (docs/adr/0026): the instructor of a seminar
 * reading a library text reads it read-only, finds the action by its name, reads what it
 * will do, confirms, and lands on the seminar's own copy with the discussion in its
 * margin; the text is theirs to edit. A student who had the reading open is moved to
 * the copy and sees the instructor's edit live; the old address leads to the copy.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser } from "../helpers/browser";
import { startThread } from "../helpers/discussion";
import { buildSeminar, buildUser } from "../helpers/factories";
import { liveTextOf, margin, openReadingAs } from "../helpers/reading-page";

/** Opens a reading as `user`, with time for pages that render slowly on a busy machine. */
function openReading(user: { email: string }, path: string): Promise<Page> {
  return openReadingAs(browser, app.url, user, path, { timeout: 60_000 });
}

let app: AppServer;
let browser: Browser;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let student: Awaited<ReturnType<typeof buildUser>>;

const TITLE = "Trotsky, Guest of the Revolution";
/** Where to save screenshots (SEMINAR_COPY_SCREENSHOTS=dir), for a person to look at. */
const SHOTS = process.env.SEMINAR_COPY_SCREENSHOTS;

beforeAll(async () => {
  student = await buildUser({ name: "Sol Student" });
  const instructor = await buildUser({ name: "Iris Instructor" });
  seminar = await buildSeminar({ instructor, students: [student] });
  await startThread(student, seminar, {
    kind: "COMMENT",
    phrase: "the savage, the exotic Mexico",
    text: "Whose gaze is this?",
  });
  app = await startAppServer();
  browser = await launchBrowser();
}, 900_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** The accessible description of the live text ("Read-only text. …" for a reader who may not edit). */
async function textDescription(page: Page): Promise<string> {
  const text = page.getByRole("document", { name: TITLE });
  const id = await text.getAttribute("aria-describedby");
  return (await page.locator(`[id="${id}"]`).textContent()) ?? "";
}

describe("editing a copy of a library text for one seminar", () => {
  it("the instructor confirms the copy and edits it; the student's open page moves to the copy and shows the edit", async () => {
    const libraryId = seminar.documentId as string;
    const libraryPath = `/seminars/${seminar.id}/readings/${libraryId}`;
    const instructor = await openReading(seminar.instructor, libraryPath);
    const studentPage = await openReading(student, libraryPath);
    if (SHOTS) await instructor.screenshot({ path: `${SHOTS}/seminar-copy-bar.png` });

    // Nobody edits the library text: the instructor reads it as the student does, and only they get the action.
    expect(await textDescription(instructor)).toContain("Read-only text");
    expect(await studentPage.getByRole("button", { name: "Edit a copy for this seminar" }).count()).toBe(0);

    await instructor.getByRole("button", { name: "Edit a copy for this seminar" }).click();
    const dialog = instructor.getByRole("dialog", { name: "Edit a copy for this seminar?" });
    await dialog.getByText("Other seminars that read this text keep the library text").waitFor();
    await dialog.getByText("Later changes to the library text will not reach your copy").waitFor();
    if (SHOTS) {
      await instructor.setViewportSize({ width: 1440, height: 1000 });
      await instructor.screenshot({ path: `${SHOTS}/seminar-copy-dialog.png` });
      await instructor.setViewportSize({ width: 390, height: 844 });
      await instructor.screenshot({ path: `${SHOTS}/seminar-copy-dialog-phone.png` });
      await instructor.setViewportSize({ width: 1400, height: 1000 });
    }
    await dialog.getByRole("button", { name: "Make the copy and edit it" }).click();

    // The instructor lands on the copy, live, with the seminar's thread in the margin.
    await instructor.waitForURL(
      (url) => !url.pathname.endsWith(libraryId) && url.pathname.includes("/readings/"),
    );
    const copyId = decodeURIComponent(new URL(instructor.url()).pathname.split("/").pop() as string);
    expect(await db.document.findUniqueOrThrow({ where: { id: copyId } })).toMatchObject({
      ownerId: seminar.instructor.id,
      copiedFromId: libraryId,
    });
    await instructor.locator(".live-text[data-live='true']").waitFor();
    await margin(instructor)
      .getByRole("article", { name: /^Comment by Sol Student/ })
      .waitFor();
    expect(await textDescription(instructor)).not.toContain("Read-only text");
    expect(await instructor.getByRole("button", { name: "Edit a copy for this seminar" }).count()).toBe(0);

    // The student's page, still on the old address, follows the reading to the copy.
    await studentPage.waitForURL((url) => url.pathname.endsWith(`/readings/${copyId}`));
    await studentPage.locator(".live-text[data-live='true']").waitFor();
    await margin(studentPage)
      .getByRole("article", { name: /^Comment by Sol Student/ })
      .waitFor();

    // The instructor types in their copy; the student sees it without a reload.
    const instructorText = instructor.getByRole("document", { name: TITLE });
    await instructorText
      .getByText("How did this happen?", { exact: false })
      .click({ position: { x: 4, y: 10 } });
    await instructor.keyboard.press("Home");
    await instructor.keyboard.type("Our copy: ");
    await expect
      .poll(() => liveTextOf(studentPage), { timeout: 10_000 })
      .toContain("Our copy: How did this happen?");

    // The library text did not change, and its old address leads the seminar's members to the copy.
    const library = await db.yUpdate.count({
      where: { room: `text:${libraryId}`, origin: seminar.instructor.id },
    });
    expect(library).toBe(0);
    await studentPage.goto(libraryPath);
    await studentPage.waitForURL((url) => url.pathname.endsWith(`/readings/${copyId}`));
    for (const page of [instructor, studentPage]) await page.context().close();
  }, 180_000);
});
