import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser } from "../helpers/browser";
import { buildSeminar, buildUser } from "../helpers/factories";
import { liveTextOf } from "../helpers/reading-page";
import { signInAs } from "../helpers/sign-in";

let app: AppServer;
let browser: Browser;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let student: Awaited<ReturnType<typeof buildUser>>;

beforeAll(async () => {
  student = await buildUser({ name: "Sol Student" });
  const instructor = await buildUser({ name: "Iris Instructor" });
  seminar = await buildSeminar({ instructor, students: [student], ownText: true });
  app = await startAppServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function openReading(email: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: app.url });
  const page = await context.newPage();
  await signInAs(page, { email });
  await page.goto(`/seminars/${seminar.id}/readings/${seminar.documentId}`);
  await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
  return page;
}

describe("reading together, live", () => {
  it("two readers see each other's presence, and the instructor's edit reaches the student without a reload", async () => {
    const instructor = await openReading(seminar.instructor.email);
    const studentPage = await openReading(student.email);

    const readingNow = (page: Page) => page.getByRole("region", { name: "Reading now" });
    await readingNow(instructor).getByText("Sol Student").waitFor();
    await readingNow(studentPage).getByText("Iris Instructor").waitFor();

    const instructorText = instructor.getByRole("document", { name: "Trotsky, Guest of the Revolution" });
    const studentText = studentPage.getByRole("document", { name: "Trotsky, Guest of the Revolution" });
    // The document role allows no aria-readonly: a reader who may not edit hears it in the text's description.
    const description = async (text: typeof instructorText) => {
      const id = await text.getAttribute("aria-describedby");
      return (await text.page().locator(`[id="${id}"]`).textContent()) ?? "";
    };
    expect(await description(instructorText)).not.toContain("Read-only text");
    expect(await description(studentText)).toContain("Read-only text");

    // The instructor types at the start of a paragraph; the student sees it, no reload.
    // Click on the paragraph's first line, then go to its start.
    await instructorText
      .getByText("How did this happen?", { exact: false })
      .click({ position: { x: 4, y: 10 } });
    await instructor.keyboard.press("Home");
    await instructor.keyboard.type("Live edit: ");
    await expect
      .poll(() => liveTextOf(studentPage), { timeout: 5000 })
      .toContain("Live edit: How did this happen?");

    // The student's keystrokes change nothing, anywhere.
    await studentText.getByText("Why were these basic principles", { exact: false }).click();
    await studentPage.keyboard.type("student typing");
    await instructor.waitForTimeout(500);
    expect(await liveTextOf(instructor)).not.toContain("student typing");
    expect(await liveTextOf(studentPage)).not.toContain("student typing");

    // The student's caret shows in the instructor's text with the student's name.
    await instructorText.locator(".collaboration-carets__label", { hasText: "Sol Student" }).waitFor();

    // A reload keeps the edit: it was committed to the text room's log.
    await studentPage.reload();
    await studentPage.getByRole("status").filter({ hasText: "Live" }).waitFor();
    await expect
      .poll(() => liveTextOf(studentPage), { timeout: 5000 })
      .toContain("Live edit: How did this happen?");
    expect(
      await db.yUpdate.count({
        where: { room: `text:${seminar.documentId}`, origin: seminar.instructor.id },
      }),
    ).toBeGreaterThan(0);

    // A footnote reference shows its note on hover, and on keyboard focus.
    const reference = studentText.getByRole("link", { name: "Note 4", exact: true });
    await reference.hover();
    const tooltip = studentPage.getByRole("tooltip");
    await tooltip.getByText("Octavio Fernández’s testimony", { exact: false }).waitFor();
    await studentPage.mouse.move(5, 5, { steps: 4 });
    await studentPage.mouse.move(8, 8, { steps: 2 });
    await tooltip.waitFor({ state: "hidden" });
    await reference.focus();
    await tooltip.getByText("Octavio Fernández’s testimony", { exact: false }).waitFor();

    // The student leaves: the instructor's "reading now" empties.
    await studentPage.context().close();
    await readingNow(instructor).getByText("Only you are reading now").waitFor({ timeout: 40_000 });
    await instructor.context().close();
  }, 120_000);
});
