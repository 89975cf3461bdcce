/**
 * Two readers in two browser contexts: Ben marks Ada's comment helpful and Ada's
 * page, not reloaded, shows the count; the toggle is a button with aria-pressed
 * and the count in its accessible name, and on hover or focus it shows who
 * reacted (docs/adr/0022), at phone width too, where reaching it by keyboard
 * scrolls the page.
 */
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnnotation } from "../../lib/server/annotations/create-annotation";
import { setReaction } from "../../lib/server/annotations/react-to-comment";
import { textToCommentBody } from "../../lib/shared/comments/comment-body";
import { anchorOn } from "../helpers/anchors";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser } from "../helpers/browser";
import { buildSeminar, buildUser } from "../helpers/factories";
import { margin, openReadingAs } from "../helpers/reading-page";

/** Set to a directory to save screenshots for the README. */
const SHOTS = process.env.MARGINALIA_SCREENSHOTS;

let app: AppServer;
let browser: Browser;
let adaPage: Page;
let benPage: Page;
let instructor: Awaited<ReturnType<typeof buildUser>>;
let ada: Awaited<ReturnType<typeof buildUser>>;
let readingPath: string;
const commentId = `c${Date.now().toString(36)}${"0".repeat(10)}`;

/** A picture of a margin card with the tooltip beside it (the tooltip lives outside the card). */
async function shootWithTooltip(page: Page, card: Locator, path: string) {
  const boxes = [await card.boundingBox(), await page.locator(".reaction-tooltip").boundingBox()];
  if (boxes.some((box) => !box)) throw new Error("The card or its tooltip is not on screen.");
  const [left, top] = [Math.min(...boxes.map((b) => b!.x)) - 8, Math.min(...boxes.map((b) => b!.y)) - 8];
  const right = Math.max(...boxes.map((b) => b!.x + b!.width)) + 8;
  const bottom = Math.max(...boxes.map((b) => b!.y + b!.height)) + 8;
  await page.screenshot({
    path,
    clip: { x: Math.max(0, left), y: Math.max(0, top), width: right - left, height: bottom - top },
  });
}

beforeAll(async () => {
  ada = await buildUser({ name: "Ada Author" });
  const ben = await buildUser({ name: "Ben Reader" });
  instructor = await buildUser({ name: "Iris Instructor" });
  const seminar = await buildSeminar({ instructor, students: [ada, ben] });
  const documentId = seminar.documentId as string;
  await createAnnotation({ userId: ada.id }, seminar.id, documentId, {
    id: `t${Date.now().toString(36)}${"0".repeat(10)}`,
    kind: "COMMENT",
    anchor: await anchorOn(documentId, "the savage, the exotic Mexico"),
    body: textToCommentBody("Is this how the essay sees Mexico?"),
    commentId,
  });
  app = await startAppServer();
  browser = await launchBrowser();
  readingPath = `/seminars/${seminar.id}/readings/${documentId}`;
  adaPage = await openReadingAs(browser, app.url, ada, readingPath);
  benPage = await openReadingAs(browser, app.url, ben, readingPath);
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("reactions in the browser", () => {
  it("Ben marks Ada's comment helpful and Ada sees the count live", async () => {
    const adaThread = margin(adaPage).getByRole("article", { name: /^Comment by Ada Author/ });
    await adaThread.getByRole("button", { name: "Helpful, 0" }).waitFor();

    const benThread = margin(benPage).getByRole("article", { name: /^Comment by Ada Author/ });
    const helpful = benThread.getByRole("button", { name: "Helpful, 0" });
    expect(await helpful.getAttribute("aria-pressed")).toBe("false");
    await helpful.click();
    const pressed = benThread.getByRole("button", { name: "Helpful, 1" });
    await pressed.waitFor();
    expect(await pressed.getAttribute("aria-pressed")).toBe("true");

    const adaButton = adaThread.getByRole("button", { name: "Helpful, 1" });
    await adaButton.waitFor({ timeout: 10_000 });
    expect(await adaButton.getAttribute("aria-pressed")).toBe("false");
  });

  it("shows who reacted on hover and on focus, and names the reader “You”", async () => {
    // The instructor also finds it helpful, through the API as another browser would.
    await setReaction({ userId: instructor.id }, commentId, "helpful", true);
    const adaThread = margin(adaPage).getByRole("article", { name: /^Comment by Ada Author/ });
    const adaButton = adaThread.getByRole("button", { name: "Helpful, 2" });
    await adaButton.waitFor({ timeout: 10_000 });
    await adaButton.hover();
    const tooltip = adaPage.getByRole("tooltip");
    await tooltip.waitFor();
    expect(await tooltip.innerText()).toBe("Helpful: Ben Reader and Iris Instructor");
    // The names are the button's description, so a screen reader hears them too.
    const describedBy = (await adaButton.getAttribute("aria-describedby")) ?? "";
    expect(await adaPage.locator(`[id="${describedBy}"]`).innerText()).toBe(
      "Helpful: Ben Reader and Iris Instructor",
    );
    if (SHOTS) await shootWithTooltip(adaPage, adaThread, `${SHOTS}/reactions.png`);
    await adaPage.mouse.move(0, 0);

    const benButton = margin(benPage)
      .getByRole("article", { name: /^Comment by Ada Author/ })
      .getByRole("button", { name: "Helpful, 2" });
    // By keyboard: away and back (the button still has the focus Ben's click gave it).
    await benButton.focus();
    await benPage.keyboard.press("Shift+Tab");
    await benPage.keyboard.press("Tab");
    await benPage.getByRole("tooltip").waitFor();
    expect(await benPage.getByRole("tooltip").innerText()).toBe("Helpful: You and Iris Instructor");
    await benButton.blur();
    await setReaction({ userId: instructor.id }, commentId, "helpful", false);
  });

  it("Ben takes it back, and Ada's count follows", async () => {
    const benThread = margin(benPage).getByRole("article", { name: /^Comment by Ada Author/ });
    await benThread.getByRole("button", { name: "Helpful, 1" }).click();
    await benThread.getByRole("button", { name: "Helpful, 0" }).waitFor();
    const adaThread = margin(adaPage).getByRole("article", { name: /^Comment by Ada Author/ });
    await adaThread.getByRole("button", { name: "Helpful, 0" }).waitFor({ timeout: 10_000 });
  });

  it("shows who reacted when the keyboard reaches a reaction at phone width, and keeps it shown while the page scrolls there", async () => {
    await setReaction({ userId: instructor.id }, commentId, "helpful", true);
    const phone = await openReadingAs(browser, app.url, ada, readingPath, {
      viewport: { width: 390, height: 844 },
    });
    try {
      const thread = margin(phone).getByRole("article", { name: /^Comment by Ada Author/ });
      await thread.getByRole("button", { name: "Helpful, 1" }).waitFor({ timeout: 10_000 });
      // The control before the toggle holds the focus while the page is at its top: the margin is
      // under the whole text, so the Tab to the toggle scrolls the page (smoothly) down to it.
      await thread
        .getByRole("button", { name: "More actions for Ada Author’s comment" })
        .evaluate((element) => (element as HTMLElement).focus({ preventScroll: true }));
      await phone.evaluate(() => window.scrollTo({ top: 0, behavior: "instant" }));
      const scrolled = phone.evaluate(
        () =>
          new Promise<void>((resolve) =>
            window.addEventListener("scrollend", () => resolve(), { once: true }),
          ),
      );
      await phone.keyboard.press("Tab");
      await scrolled;
      const tooltip = phone.getByRole("tooltip", { name: "Helpful: Iris Instructor" });
      expect(await tooltip.isVisible()).toBe(true);
      if (SHOTS) await shootWithTooltip(phone, thread, `${SHOTS}/reactions-phone.png`);
    } finally {
      await phone.context().close();
      await setReaction({ userId: instructor.id }, commentId, "helpful", false);
    }
  });
});
