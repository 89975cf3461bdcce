import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser } from "../helpers/browser";
import { buildSeminar, buildUser, TEST_PASSWORD } from "../helpers/factories";
import { margin, openReadingAs, selectPhrase } from "../helpers/reading-page";

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/uploads");

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

async function signIn(email: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: app.url, viewport: { width: 1400, height: 1000 } });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(TEST_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${app.url}/`);
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
});
