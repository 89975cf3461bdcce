/**
 * Takes the README's screenshots from a running app with the demo seminar
 * (a fresh `npm start` has it): `tsx docs/screenshots/capture.ts [baseUrl]`.
 * Uses Debian's Chromium (or CHROMIUM_PATH) through playwright-core.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Page } from "playwright-core";
import { CHROMIUM_ARGS } from "../../lib/server/chromium";
import { findChromium } from "../../tests/helpers/browser";

const here = path.dirname(fileURLToPath(import.meta.url));
const base = process.argv[2] ?? "http://localhost:3000";

async function signIn(page: Page, email: string) {
  await page.goto(`${base}/signin`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("marginalia-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${base}/`);
}

const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
try {
  // A classmate is reading too: their presence and caret show on the page.
  const classmate = await (await browser.newContext({ viewport: { width: 1440, height: 1000 } })).newPage();
  await signIn(classmate, "student1@example.com");
  await classmate.getByRole("link", { name: "Trotsky, Guest of the Revolution" }).first().click();
  await classmate.locator(".live-text[data-live='true']").waitFor({ timeout: 30_000 });
  await classmate
    .getByText("How did this happen?", { exact: false })
    .first()
    .click({ position: { x: 240, y: 12 } });

  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await signIn(page, "student2@example.com");
  await page.getByRole("link", { name: "Trotsky, Guest of the Revolution" }).first().click();
  await page.locator(".live-text[data-live='true']").waitFor({ timeout: 30_000 });
  await page.waitForTimeout(2000);
  // The reading page with the seminar's discussion beside the text.
  const top = await page
    .locator(".reading-layout")
    .evaluate((element) => element.getBoundingClientRect().top + window.scrollY);
  await page.screenshot({
    path: path.join(here, "reading-page.png"),
    clip: { x: 0, y: top + 20, width: 1440, height: 1240 },
    fullPage: true,
  });
  // On a phone: a tap on a highlight opens its threads in a sheet at the passage.
  const phone = await (
    await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      hasTouch: true,
      isMobile: true,
    })
  ).newPage();
  await signIn(phone, "student2@example.com");
  await phone.getByRole("link", { name: "Trotsky, Guest of the Revolution" }).first().click();
  await phone.locator(".live-text[data-live='true']").waitFor({ timeout: 30_000 });
  const highlight = phone.locator(".live-text .hl").nth(2);
  await highlight.scrollIntoViewIfNeeded();
  await highlight.tap();
  await phone.getByRole("dialog").waitFor();
  await phone.waitForTimeout(500);
  await phone.screenshot({ path: path.join(here, "reading-phone.png") });
  // The seminar page, as its instructor sees it.
  const instructor = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signIn(instructor, "instructor@example.com");
  await instructor.getByRole("link", { name: "Mexico and the Right of Asylum" }).first().click();
  await instructor.waitForLoadState("networkidle");
  await instructor.screenshot({ path: path.join(here, "seminar-page.png") });
  console.log(`Screenshots written to ${here}`);
} finally {
  await browser.close();
}
