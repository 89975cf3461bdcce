/**
 * The reading page without a mouse and with a screen reader: from the sign-in
 * form to a posted comment by keyboard alone, with every focused thing visible
 * and outlined; and the polite live region that says what other readers did
 * (two browser contexts, two readers).
 */
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser } from "../helpers/browser";
import { startThread } from "../helpers/discussion";
import { buildSeminar, buildUser, TEST_PASSWORD } from "../helpers/factories";
import { margin } from "../helpers/reading-page";
import { signInAs } from "../helpers/sign-in";

let app: AppServer;
let browser: Browser;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let tomas: Awaited<ReturnType<typeof buildUser>>;

beforeAll(async () => {
  const instructor = await buildUser({ name: "Iris Instructor" });
  tomas = await buildUser({ name: "Tomás Herrera" });
  seminar = await buildSeminar({ instructor, students: [tomas] });
  app = await startAppServer();
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const readingPath = () => `/seminars/${seminar.id}/readings/${seminar.documentId}`;

/**
 * The focused element: inside the viewport, not covered (by the sticky header
 * or anything else: what shows at its centre is itself), with a visible outline.
 */
async function focusedIsVisibleAndOutlined(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return "nothing is focused";
    const box = element.getBoundingClientRect();
    const label = (element.getAttribute("aria-label") ?? element.textContent ?? "").trim().slice(0, 40);
    const name = `<${element.tagName.toLowerCase()}> “${label}”`;
    // An element taller than the window cannot fit; its top part must show.
    const bottom = Math.min(box.bottom, window.innerHeight);
    if (box.top < 0 || (box.height <= window.innerHeight && box.bottom > window.innerHeight + 1))
      return `${name} is not fully in the window (top ${Math.round(box.top)}, bottom ${Math.round(box.bottom)})`;
    const hit = document.elementFromPoint(box.left + Math.min(box.width / 2, 40), (box.top + bottom) / 2);
    if (!hit || !(element === hit || element.contains(hit)))
      return `${name} is covered by <${hit?.tagName.toLowerCase()} class="${hit?.className}">`;
    const style = getComputedStyle(element);
    const isOutlined =
      (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
    return isOutlined ? "ok" : `${name} has no focus outline`;
  });
}

/** Tabs until `target` has focus, checking each stop; returns how many presses it took. */
async function tabTo(page: Page, target: Locator, limit = 40): Promise<number> {
  for (let presses = 1; presses <= limit; presses++) {
    await page.keyboard.press("Tab");
    await expect(focusedIsVisibleAndOutlined(page)).resolves.toBe("ok");
    if (await target.evaluate((element) => element === document.activeElement)) return presses;
  }
  throw new Error(`Tab did not reach the target in ${limit} presses`);
}

describe("the reading page by keyboard", () => {
  it("a reader signs in, skips to the text, selects a sentence, comments and returns to the passage, keyboard only", async () => {
    const context = await browser.newContext({ baseURL: app.url, viewport: { width: 1440, height: 1000 } });
    context.setDefaultTimeout(10_000);
    context.setDefaultNavigationTimeout(30_000);
    const page = await context.newPage();
    await page.goto("/signin");
    await tabTo(page, page.getByLabel("Email"));
    await page.keyboard.type(tomas.email);
    await page.keyboard.press("Tab");
    await page.keyboard.type(TEST_PASSWORD);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${app.url}/`);
    await page.goto(readingPath());
    await page.locator(".live-text[data-live='true']").waitFor({ timeout: 20_000 });
    // The page opens at its top: nothing scrolls it under the sticky header.
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0);

    await tabTo(page, page.getByRole("link", { name: "Skip to the text" }));
    await page.keyboard.press("Enter");
    const text = page.getByRole("document", { name: "Trotsky, Guest of the Revolution" });
    await expect.poll(() => text.evaluate((element) => element === document.activeElement)).toBe(true);
    await expect(focusedIsVisibleAndOutlined(page)).resolves.toBe("ok");
    // The caret shows: the text keeps a caret colour for readers who may not edit, too.
    await expect(text.evaluate((element) => getComputedStyle(element).caretColor)).resolves.not.toBe(
      "rgba(0, 0, 0, 0)",
    );

    for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Control+Alt+s");
    await page.keyboard.press("Control+Alt+m");
    const composer = margin(page).getByRole("textbox", { name: "Comment" });
    await composer.waitFor();
    // The whole composer is in view: its field and its button, below the sticky header.
    const post = margin(page).getByRole("button", { name: "Comment", exact: true });
    await expect
      .poll(async () => {
        const inView = async (locator: Locator) =>
          locator.evaluate((element) => {
            const box = element.getBoundingClientRect();
            return box.top >= 56 && box.bottom <= window.innerHeight;
          });
        return (await inView(composer)) && (await inView(post));
      })
      .toBe(true);
    await page.keyboard.type("Typed without a mouse.");
    await page.keyboard.press("Control+Enter");

    // Focus moves to the new card, which is visible and outlined.
    const card = margin(page).getByRole("article", { name: /^Comment by Tomás Herrera/ });
    await expect.poll(() => card.evaluate((element) => element === document.activeElement)).toBe(true);
    await expect(focusedIsVisibleAndOutlined(page)).resolves.toBe("ok");
    // Escape goes back to the passage, in the text.
    await page.keyboard.press("Escape");
    await expect.poll(() => text.evaluate((element) => element === document.activeElement)).toBe(true);
    await expect(card.getAttribute("class")).resolves.toContain("thread-active");

    // The margin is one skip away too.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.getByRole("link", { name: "Skip to the margin" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("margin-column");
    await context.close();
  }, 120_000);
});

/** Signs in and opens the reading in a browser context of its own; resolves once the text is live. */
async function openReading(email: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: app.url, viewport: { width: 1440, height: 1000 } });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(30_000);
  const page = await context.newPage();
  await signInAs(page, { email });
  await page.goto(readingPath());
  await page.locator(".live-text[data-live='true']").waitFor({ timeout: 20_000 });
  return page;
}

describe("announcements for screen readers", () => {
  it("says politely and briefly what another reader did, coalesces a burst, and never says one's own actions", async () => {
    const iris = await openReading(seminar.instructor.email);
    const student = await openReading(tomas.email);
    const region = (page: Page) => page.getByRole("status", { name: "Discussion updates" });
    await expect(region(iris).getAttribute("aria-live")).resolves.toBe("polite");
    await expect(region(iris).textContent()).resolves.toBe("");

    // Tomás comments (as his browser does, through the API and the seminar room).
    await startThread(tomas, seminar, {
      kind: "COMMENT",
      phrase: "the savage, the exotic Mexico",
      text: "Whose Mexico is exotic?",
    });
    await expect
      .poll(() => region(iris).textContent(), { timeout: 15_000 })
      .toBe("Tomás Herrera commented on ‘the savage, the exotic Mexico’");

    // Three at once become one summary.
    await Promise.all([
      startThread(tomas, seminar, { kind: "HIGHLIGHT", phrase: "raging dogs that must be brought down" }),
      startThread(tomas, seminar, { kind: "COMMENT", phrase: "Diego Rivera", text: "The murals." }),
      startThread(seminar.instructor, seminar, {
        kind: "GUIDING_QUESTION",
        phrase: "the world became a planet with no visa",
        text: "Why a planet?",
      }),
    ]);
    await expect
      .poll(() => region(student).textContent(), { timeout: 15_000 })
      .toBe("Iris Instructor asked a guiding question on ‘the world became a planet with no visa’");
    await expect
      .poll(() => region(iris).textContent(), { timeout: 15_000 })
      .toBe("2 new annotations and replies by Tomás Herrera");
    // Tomás never hears his own four annotations.
    await expect(region(student).textContent()).resolves.not.toContain("Tomás Herrera");
    await iris.context().close();
    await student.context().close();
  }, 120_000);
});
