/**
 * Takes the README's "Adding readings" screenshots from a running app:
 * `tsx docs/screenshots/capture-upload.ts [baseUrl]`. Signs up a new
 * instructor, creates a seminar, and uploads a fixture DOCX with footnotes.
 * Uses Debian's Chromium (or CHROMIUM_PATH) through playwright-core.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS } from "../../lib/server/chromium";
import { findChromium } from "../../tests/helpers/browser";

const here = path.dirname(fileURLToPath(import.meta.url));
const base = process.argv[2] ?? "http://localhost:3000";
const fixture = path.resolve(here, "../../tests/fixtures/uploads/notes.docx");

const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(`${base}/signup`);
  await page.getByLabel("Name").fill("Elena Marín");
  await page.getByLabel("Email").fill(`elena-${Date.now()}@example.com`);
  await page.getByLabel("Password").fill("a long enough password");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(`${base}/`);
  await page.getByRole("link", { name: "New seminar" }).click();
  await page.getByLabel("Title").fill("Reading in Company");
  await page.getByRole("button", { name: "Create seminar" }).click();
  await page.waitForURL(/\/seminars\/[a-z0-9]+$/);

  const addReading = page.getByRole("region", { name: "Add a reading" });
  await addReading.scrollIntoViewIfNeeded();
  await addReading.locator(".drop-zone").evaluate((zone) => zone.classList.add("drop-zone-active"));
  await addReading.screenshot({ path: path.join(here, "upload.png") });
  await addReading.locator(".drop-zone").evaluate((zone) => zone.classList.remove("drop-zone-active"));

  await page.getByLabel("File to upload").setInputFiles(fixture);
  await page.waitForURL(/\/uploads\/[a-z0-9]+/, { timeout: 60_000 });
  await page.getByRole("article", { name: /^Preview of / }).waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(here, "upload-preview.png") });
  console.log("Wrote upload.png and upload-preview.png");
} finally {
  await browser.close();
}
