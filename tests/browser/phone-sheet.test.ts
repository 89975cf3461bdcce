/**
 * At phone width (390×844) the margin sits after the whole text, so tapping a
 * highlight opens its threads in a sheet at the passage: a modal dialog that
 * takes focus, where a reader can reply, and that gives focus back to the text.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser } from "../helpers/browser";
import { startThread } from "../helpers/discussion";
import { buildSeminar, buildUser } from "../helpers/factories";
import { signInAs } from "../helpers/sign-in";

let app: AppServer;
let browser: Browser;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let tomas: Awaited<ReturnType<typeof buildUser>>;

beforeAll(async () => {
  const instructor = await buildUser({ name: "Iris Instructor" });
  tomas = await buildUser({ name: "Tomás Herrera" });
  seminar = await buildSeminar({ instructor, students: [tomas] });
  await startThread(instructor, seminar, {
    kind: "GUIDING_QUESTION",
    phrase: "the savage, the exotic Mexico",
    text: "Whose gaze calls Mexico savage?",
  });
  app = await startAppServer();
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("the reading page on a phone", () => {
  it("a tap on a highlight opens its threads in a sheet at the passage, where the reader replies", async () => {
    const context = await browser.newContext({
      baseURL: app.url,
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      isMobile: true,
    });
    context.setDefaultTimeout(10_000);
    context.setDefaultNavigationTimeout(30_000);
    const page = await context.newPage();
    await signInAs(page, tomas);
    await page.goto(`/seminars/${seminar.id}/readings/${seminar.documentId}`);
    await page.locator(".live-text[data-live='true']").waitFor({ timeout: 20_000 });

    const passage = page.locator(".live-text .hl", { hasText: "the exotic Mexico" }).first();
    await passage.scrollIntoViewIfNeeded();
    await passage.tap();
    const sheet = page.getByRole("dialog", { name: "1 annotation on ‘the savage, the exotic Mexico’" });
    await sheet.waitFor();
    // At the passage: it shows above the sheet, not thousands of pixels away in the margin.
    const [passageBox, sheetBox] = await Promise.all([passage.boundingBox(), sheet.boundingBox()]);
    expect(
      passageBox && sheetBox && passageBox.y >= 0 && passageBox.y + passageBox.height <= sheetBox.y,
    ).toBe(true);
    // Focus is in the dialog.
    await expect.poll(() => sheet.evaluate((element) => element.contains(document.activeElement))).toBe(true);

    const card = sheet.getByRole("article", { name: /^Guiding question by Iris Instructor/ });
    await card.getByRole("button", { name: "Reply to Iris Instructor’s thread" }).click();
    await card
      .getByRole("textbox", { name: "Reply to Iris Instructor" })
      .fill("The civilized world's, from a phone.");
    await card.getByRole("button", { name: "Reply", exact: true }).click();
    // Saved: the reply shows in the card, no longer pending.
    await card
      .locator(".comment:not(.comment-pending)", { hasText: "The civilized world's, from a phone." })
      .first()
      .waitFor({ timeout: 20_000 });

    await page.keyboard.press("Escape");
    await sheet.waitFor({ state: "hidden" });
    await context.close();
  }, 120_000);
});
