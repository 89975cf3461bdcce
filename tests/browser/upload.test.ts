import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { describeViolations, findAxeViolations } from "../helpers/axe";
import { launchBrowser } from "../helpers/browser";
import { buildSeminar, buildUser } from "../helpers/factories";
import { margin, openReadingAs, selectPhrase } from "../helpers/reading-page";
import { signInAs } from "../helpers/sign-in";

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/uploads");
/** Where to save the README's screenshots of these pages, when set. */
const SHOTS = process.env.UPLOAD_SCREENSHOTS;

let app: AppServer;
let browser: Browser;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let student: Awaited<ReturnType<typeof buildUser>>;
let classmate: Awaited<ReturnType<typeof buildUser>>;

beforeAll(async () => {
  student = await buildUser({ name: "Sol Student" });
  classmate = await buildUser({ name: "Cleo Classmate" });
  const instructor = await buildUser({ name: "Iris Instructor" });
  seminar = await buildSeminar({ instructor, students: [student, classmate], withEssay: false });
  app = await startAppServer();
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function signIn(email: string, viewport = { width: 1400, height: 1000 }): Promise<Page> {
  const context = await browser.newContext({ baseURL: app.url, viewport });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await signInAs(page, { email });
  return page;
}

/** Uploads a fixture from the seminar page, checks the preview, publishes it; returns the reading's path. */
async function uploadAndPublish(
  page: Page,
  file: string,
  expected: { title: string; found: RegExp; phrase: string },
) {
  await page.goto(`/seminars/${seminar.id}`);
  await page.getByRole("heading", { name: "Add a reading" }).waitFor();
  await page.getByLabel("File to upload").setInputFiles(path.join(FIXTURES, file));
  await page.waitForURL(/\/uploads\/[a-z0-9]+/, { timeout: 60_000 });
  const preview = page.getByRole("article", { name: /^Preview of / });
  await preview.getByText(expected.phrase, { exact: false }).first().waitFor();
  const found = page.getByRole("region", { name: "What we found" });
  expect(await found.textContent()).toMatch(expected.found);
  await page.getByLabel("Instruction").fill("Read before Thursday.");
  expect(await page.getByLabel("Assign to").inputValue()).toBe(seminar.id);
  await page.getByRole("button", { name: "Publish" }).click();
  await page.waitForURL(/\/readings\/[a-z0-9]+$/, { timeout: 30_000 });
  await page.locator(".live-text[data-live='true']").waitFor({ timeout: 20_000 });
  return new URL(page.url()).pathname;
}

describe("adding readings by upload", () => {
  it("an instructor uploads a DOCX with footnotes and a PDF; a student annotates each; a classmate sees it live", async () => {
    const instructor = await signIn(seminar.instructor.email);
    const docxPath = await uploadAndPublish(instructor, "notes.docx", {
      title: "On Reading Together",
      found: /\d+ notes?/,
      phrase: "A seminar is a room where a text is read slowly",
    });
    const pdfPath = await uploadAndPublish(instructor, "essay.pdf", {
      title: "Trotsky, Guest of the Revolution",
      found: /\d+ pages?/,
      phrase: "the savage, the exotic Mexico",
    });

    for (const [readingPath, phrase] of [
      [docxPath, "read slowly by several people at once"],
      [pdfPath, "the savage, the exotic Mexico"],
    ] as const) {
      const studentPage = await openReadingAs(browser, app.url, student, readingPath);
      const classmatePage = await openReadingAs(browser, app.url, classmate, readingPath);
      await selectPhrase(studentPage, phrase);
      await studentPage.getByRole("button", { name: "Highlight as Evidence" }).click();
      const label = new RegExp(`^Highlight by Sol Student on “${phrase}”`);
      await margin(studentPage).getByRole("article", { name: label }).waitFor();
      // The classmate never reloads: the highlight arrives over the seminar room.
      await margin(classmatePage).getByRole("article", { name: label }).waitFor({ timeout: 10_000 });
      await studentPage.context().close();
      await classmatePage.context().close();
    }
    await instructor.context().close();
  }, 240_000);

  it("an instructor uploads a scan, chooses OCR, watches the conversion's progress move, and publishes it", async () => {
    const instructor = await signIn(seminar.instructor.email);
    await instructor.goto(`/seminars/${seminar.id}`);
    await instructor.getByRole("heading", { name: "Add a reading" }).waitFor();
    await instructor.getByLabel("File to upload").setInputFiles(path.join(FIXTURES, "scanned.pdf"));
    const refusal = instructor.getByRole("alert").filter({ hasText: "no text layer" });
    await refusal.waitFor({ timeout: 60_000 });

    // Record every value the conversion's bar shows, from the page itself, until the preview opens.
    await instructor.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { conversionValues: number[] }).conversionValues = seen;
      setInterval(() => {
        const bar = document.querySelector<HTMLProgressElement>('progress[aria-label="Conversion"]');
        if (bar && bar.value !== seen.at(-1)) seen.push(bar.value);
      }, 40);
    });
    await refusal.getByRole("button", { name: "Recognise the text (OCR)" }).click();
    const bar = instructor.getByRole("progressbar", { name: "Conversion" });
    await bar.waitFor({ timeout: 30_000 });
    expect(await bar.evaluate((element) => (element as HTMLProgressElement).max)).toBe(100);
    if (SHOTS) {
      // The README's picture: recognition under way (past 15%), the bar partly filled.
      await instructor.waitForFunction(
        () =>
          (document.querySelector<HTMLProgressElement>('progress[aria-label="Conversion"]')?.value ?? 0) > 15,
        undefined,
        { timeout: 90_000 },
      );
      await instructor
        .getByRole("region", { name: "Add a reading" })
        .screenshot({ path: `${SHOTS}/upload-ocr-progress.png` });
    }
    await instructor.waitForURL(/\/uploads\/[a-z0-9]+/, { timeout: 120_000 });
    const values = await instructor.evaluate(
      () => (window as unknown as { conversionValues: number[] }).conversionValues,
    );
    // The bar moved forward while tesseract read the page, and never back.
    expect(values.length).toBeGreaterThanOrEqual(2);
    expect(values.every((value, i) => i === 0 || value > (values[i - 1] as number))).toBe(true);
    expect(values.at(-1)).toBeGreaterThan(values[0] as number);

    const preview = instructor.getByRole("article", { name: /^Preview of / });
    await preview
      .getByText("A seminar is a room where a text is read slowly", { exact: false })
      .first()
      .waitFor();
    expect(await instructor.getByRole("region", { name: "What we found" }).textContent()).toMatch(
      /recognised automatically \(OCR\)/,
    );
    await instructor.getByRole("button", { name: "Publish" }).click();
    await instructor.waitForURL(/\/readings\/[a-z0-9]+$/, { timeout: 30_000 });
    await instructor.locator(".live-text[data-live='true']").waitFor({ timeout: 20_000 });
    await instructor
      .locator(".live-text")
      .getByText("Why read in company", { exact: false })
      .first()
      .waitFor();
    await instructor.context().close();
  }, 240_000);

  it("a book is published as one reading per chosen range of chapters, and a long one has its contents", async () => {
    const instructor = await signIn(seminar.instructor.email);
    await instructor.goto(`/seminars/${seminar.id}`);
    await instructor.getByLabel("File to upload").setInputFiles(path.join(FIXTURES, "book.epub"));
    await instructor.waitForURL(/\/uploads\/[a-z0-9]+/, { timeout: 60_000 });
    const chapters = instructor.getByRole("group", { name: "Chapters" });
    await chapters.getByRole("radio", { name: "One reading per range of chapters" }).check();
    // Chapter by chapter unless told otherwise: one reading for each of the four parts.
    for (const n of [1, 2, 3, 4]) await chapters.getByLabel(`First chapter of reading ${n}`).waitFor();
    await chapters.getByRole("button", { name: "Remove reading 4" }).click();
    await chapters.getByRole("button", { name: "Remove reading 1" }).click();
    // Now: 1 = the Reader's Pencil, 2 = Reading in Company; the second runs to the end.
    await chapters
      .getByLabel("Last chapter of reading 2")
      .selectOption({ label: "4. The Return to the Text" });
    expect(await chapters.getByLabel("First chapter of reading 1").inputValue()).toBe("1");
    expect(await chapters.getByLabel("First chapter of reading 2").inputValue()).toBe("2");
    await instructor.getByLabel("Instruction").fill("One chapter a week.");
    if (SHOTS)
      await instructor
        .locator("form")
        .filter({ has: chapters })
        .screenshot({ path: `${SHOTS}/upload-chapters.png` });
    await instructor.getByRole("button", { name: "Publish 2 readings" }).click();
    await instructor.waitForURL(new RegExp(`/seminars/${seminar.id}$`), { timeout: 60_000 });
    const first = instructor.getByRole("link", {
      name: "A Short Book of Margins: The Reader’s Pencil",
      exact: true,
    });
    const second = instructor.getByRole("link", {
      name: "A Short Book of Margins: Reading in Company – The Return to the Text",
      exact: true,
    });
    await first.waitFor();
    const secondPath = (await second.getAttribute("href")) as string;
    await instructor.context().close();

    // A student reads the second range: its chapters, not the first's, with a contents list.
    const reader = await signIn(student.email, { width: 1400, height: 520 });
    await reader.goto(secondPath);
    await reader.locator(".live-text[data-live='true']").waitFor({ timeout: 20_000 });
    const text = reader.locator(".live-text");
    await text.getByText("When several people read the same pages", { exact: false }).waitFor();
    expect(await text.textContent()).not.toContain("oldest annotation tool");
    const contents = reader.getByRole("navigation", { name: "Contents" });
    await contents.locator("summary").click();
    const target = text.getByRole("heading", { name: "A second reading" });
    const topOf = () => target.evaluate((element) => element.getBoundingClientRect().top);
    expect(await topOf()).toBeGreaterThan(520);
    if (SHOTS) {
      // The README's picture, on a screen tall enough to show the text under the contents.
      await reader.setViewportSize({ width: 1400, height: 860 });
      await reader.locator(".live-dot-on").waitFor();
      await reader.screenshot({ path: `${SHOTS}/reading-contents.png` });
      await reader.setViewportSize({ width: 1400, height: 520 });
    }
    // The opened contents pass axe with the rest of the page.
    const violations = await findAxeViolations(reader);
    expect(violations, describeViolations(violations)).toEqual([]);
    await contents.getByRole("link", { name: "A second reading" }).click();
    await expect.poll(topOf).toBeLessThan(200);
    expect(await topOf()).toBeGreaterThanOrEqual(0);
    expect(new URL(reader.url()).hash).toBe("#section-a-second-reading");
    await reader.context().close();
  }, 240_000);
});
