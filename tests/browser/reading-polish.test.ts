/**
 * The reading and review pages as a careful reader meets them, in Chromium:
 * reached by a link they open at the top, the reading bar in full view below
 * the sticky header (Next's scroll on navigation once left them 17 px down);
 * only one footnote tooltip shows at a time, however hover and keyboard focus
 * mix, and a reference inside a highlight takes no native tooltip from it; after an instructor edits the words of a highlighted passage, its
 * card's accessible name (in the instructor's margin and a student's) and the
 * review page quote the words as they read now, the review keeping the
 * original as history.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { describeViolations, findAxeViolations } from "../helpers/axe";
import { launchBrowser } from "../helpers/browser";
import { startThread } from "../helpers/discussion";
import { buildSeminar, buildUser } from "../helpers/factories";
import { margin, selectPhrase } from "../helpers/reading-page";
import { signInAs } from "../helpers/sign-in";

let app: AppServer;
let browser: Browser;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let sol: Awaited<ReturnType<typeof buildUser>>;
/** Where to save screenshots (POLISH_SCREENSHOTS=dir), for a person to look at. */
const SHOTS = process.env.POLISH_SCREENSHOTS;

const TITLE = "Trotsky, Guest of the Revolution";
const PASSAGE = "the savage, the exotic Mexico";
const EDITED = "the savage, the picturesque Mexico";

beforeAll(async () => {
  const iris = await buildUser({ name: "Iris Instructor" });
  sol = await buildUser({ name: "Sol Student" });
  seminar = await buildSeminar({ instructor: iris, students: [sol], ownText: true });
  await startThread(sol, seminar, { kind: "HIGHLIGHT", phrase: PASSAGE });
  // A highlight across note 1's reference.
  await startThread(sol, seminar, { kind: "HIGHLIGHT", phrase: "with no pity!” These were" });
  await startThread(sol, seminar, {
    kind: "COMMENT",
    phrase: "Diego Rivera, the famous Mexican muralist",
    text: "Rivera mattered more than the minister.",
  });
  app = await startAppServer();
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function signIn(user: { email: string }, viewport = { width: 1440, height: 1000 }): Promise<Page> {
  const context = await browser.newContext({ baseURL: app.url, viewport });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await signInAs(page, user);
  return page;
}

const readingPath = () => `/seminars/${seminar.id}/readings/${seminar.documentId}`;

async function shoot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

/** How the top of the page sits: the window's scroll, and whether `selector` is wholly below the sticky header. */
function topOfPage(page: Page, selector: string) {
  return page.evaluate((target) => {
    const header = document.querySelector(".site-header")?.getBoundingClientRect();
    const box = document.querySelector(target)?.getBoundingClientRect();
    return {
      scrollY: window.scrollY,
      isBelowHeader: Boolean(header && box && box.top >= header.bottom - 0.5 && box.height > 0),
    };
  }, selector);
}

describe("arriving by a link", () => {
  it("opens the reading at its top from the seminar page, the reading bar in full view; the review page too", async () => {
    const page = await signIn(sol);
    await page.goto(`/seminars/${seminar.id}`);
    // A seminar page scrolled down a little, as a reader's might be, before the link is followed.
    await page.mouse.wheel(0, 120);
    await page.getByRole("link", { name: "Open reading" }).click();
    await page.waitForURL(`${app.url}${readingPath()}`);
    await page.locator(".live-text[data-live='true']").waitFor({ timeout: 20_000 });
    await shoot(page, "arrival-reading");
    expect(await topOfPage(page, ".reading-bar")).toEqual({ scrollY: 0, isBelowHeader: true });

    await page.locator(".reading-bar").getByRole("link", { name: "Review" }).click();
    await page.waitForURL(`${app.url}${readingPath()}/review`);
    await page.getByRole("heading", { level: 1, name: TITLE }).waitFor();
    expect(await topOfPage(page, ".reading-bar")).toEqual({ scrollY: 0, isBelowHeader: true });
    await shoot(page, "arrival-review");

    // Back to the reading by the review page's bar: at the top again.
    await page.getByRole("link", { name: "← Back to the reading" }).click();
    await page.waitForURL(`${app.url}${readingPath()}`);
    await page.locator(".live-text[data-live='true']").waitFor({ timeout: 20_000 });
    expect(await topOfPage(page, ".reading-bar")).toEqual({ scrollY: 0, isBelowHeader: true });
    await page.context().close();
  });
});

describe("footnote tooltips", () => {
  it("show one at a time, whether opened by hover or by keyboard focus", async () => {
    const page = await signIn(sol);
    await page.goto(readingPath());
    await page.locator(".live-text[data-live='true']").waitFor({ timeout: 20_000 });
    const text = page.getByRole("document", { name: TITLE });
    const reference = (n: number) => text.getByRole("link", { name: `Note ${n}`, exact: true });
    const tooltips = page.getByRole("tooltip");
    const shown = async () => (await tooltips.allTextContents()).map((words) => words.slice(0, 40));

    // A reference inside a highlight shows no second, native tooltip: no title (the
    // highlight's, naming who annotated it) applies to it.
    await text.locator(".hl", { hasText: "These were" }).first().waitFor();
    const titles = await reference(1).evaluate((element) => {
      const found: string[] = [];
      for (
        let node: Element | null = element;
        node && !node.classList.contains("ProseMirror");
        node = node.parentElement
      )
        if (node.hasAttribute("title")) found.push(node.getAttribute("title") ?? "");
      return found;
    });
    // The nearest title (the one a browser shows) is empty; the highlight's own is further out.
    expect(titles).toEqual(["", "Sol Student"]);

    // Focus one (the keyboard's way), then hover another.
    await reference(1).focus();
    await tooltips.getByText("The trial against the Trotskyist", { exact: false }).waitFor();
    await reference(2).hover();
    await tooltips.getByText("In 1934, when France", { exact: false }).waitFor();
    await expect.poll(shown).toEqual([expect.stringContaining("In 1934, when France")]);
    await shoot(page, "tooltip-after-focus-then-hover");

    // Hover one, then focus another (both in view, so focusing scrolls nothing: a scroll closes tooltips).
    await reference(6).scrollIntoViewIfNeeded();
    await reference(5).scrollIntoViewIfNeeded();
    await reference(5).hover();
    await tooltips.getByText("This utopia is", { exact: false }).waitFor();
    await reference(6).focus();
    await tooltips.getByText("Adolfo Gilly, Op. Cit.", { exact: false }).waitFor();
    await expect.poll(shown).toEqual([expect.stringContaining("Adolfo Gilly, Op. Cit.")]);
    await shoot(page, "tooltip-after-hover-then-focus");

    // Tab back from one reference to the one before it: still one.
    await page.keyboard.press("Shift+Tab");
    await tooltips.getByText("This utopia is", { exact: false }).waitFor();
    await expect.poll(shown).toEqual([expect.stringContaining("This utopia is")]);

    // The pointer sliding from one reference to the next, through the first one's tooltip's grace area.
    await reference(5).blur();
    await page.mouse.move(5, 500);
    await expect.poll(shown).toEqual([]);
    const [from, to] = [await reference(5).boundingBox(), await reference(6).boundingBox()];
    if (!from || !to) throw new Error("The references have no boxes");
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await tooltips.getByText("This utopia is", { exact: false }).waitFor();
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
    await tooltips.getByText("Adolfo Gilly, Op. Cit.", { exact: false }).waitFor();
    await expect.poll(shown).toEqual([expect.stringContaining("Adolfo Gilly, Op. Cit.")]);
    await page.context().close();
  });
});

describe("one quote everywhere", () => {
  it("after an instructor edits a highlighted passage's words, card names and the review page quote them as they read now", async () => {
    const instructor = await signIn(seminar.instructor);
    await instructor.goto(readingPath());
    await instructor.locator(".live-text[data-live='true']").waitFor({ timeout: 20_000 });
    const student = await signIn(sol);
    await student.goto(readingPath());
    await student.locator(".live-text[data-live='true']").waitFor({ timeout: 20_000 });
    const card = (page: Page, words: string) =>
      margin(page).getByRole("article", { name: `Highlight by Sol Student on “${words}”` });
    await card(instructor, PASSAGE).waitFor();
    await card(student, PASSAGE).waitFor();

    // The instructor replaces one word inside the passage, in the text itself.
    await selectPhrase(instructor, "exotic");
    await instructor.keyboard.type("picturesque");
    await card(instructor, EDITED).waitFor();
    await card(student, EDITED).waitFor();
    await expect(card(student, PASSAGE).count()).resolves.toBe(0);
    await shoot(student, "edited-passage-margin");

    // The review page: the current words, and the ones the highlight was made on, as history.
    await expect
      .poll(
        async () => {
          await student.goto(`${readingPath()}/review`);
          const entry = student.getByRole("article", { name: `Highlight by Sol Student on “${EDITED}”` });
          return (await entry.count()) === 1 ? entry.innerText() : "";
        },
        { timeout: 15_000 },
      )
      .toContain(`Originally “${PASSAGE}”`);
    const entry = student.getByRole("article", { name: `Highlight by Sol Student on “${EDITED}”` });
    await expect(entry.locator("blockquote").innerText()).resolves.toBe(EDITED);
    // The link's name quotes the current words too (its visually hidden part).
    await expect(entry.getByRole("link", { name: /^Open in the text/ }).textContent()).resolves.toBe(
      `Open in the text: “${EDITED}”`,
    );
    await entry.scrollIntoViewIfNeeded();
    await shoot(student, "edited-passage-review");
    // The history line reads as well as the rest of the page (axe: contrast and the rest).
    expect(describeViolations(await findAxeViolations(student))).toBe("");
    await instructor.context().close();
    await student.context().close();
  });
});
