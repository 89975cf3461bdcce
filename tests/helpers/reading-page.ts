/** Helpers for browser tests of the reading page. */
import type { Browser, Page } from "playwright-core";
import { signInAs } from "./sign-in";

/** Signs in through the sign-in page and opens a seminar's reading; resolves once the text is live. */
export async function openReadingAs(
  browser: Browser,
  baseUrl: string,
  user: { email: string },
  path: string,
  options: {
    /** Their password, when it is not the factories' TEST_PASSWORD. */
    password?: string;
    /** The window's size; a desktop's (1400×1000) unless given. */
    viewport?: { width: number; height: number };
    /** How long a step may wait (10 s unless given; the text gets twice that to go live). */
    timeout?: number;
  } = {},
): Promise<Page> {
  const viewport = options.viewport ?? { width: 1400, height: 1000 };
  const context = await browser.newContext({ baseURL: baseUrl, viewport });
  // Fail fast, with Playwright's own account of what it was waiting for, inside the test's time.
  const timeout = options.timeout ?? 10_000;
  context.setDefaultTimeout(timeout);
  context.setDefaultNavigationTimeout(timeout);
  const page = await context.newPage();
  await signInAs(page, user, { password: options.password });
  await page.goto(path);
  await page.locator(".live-text[data-live='true']").waitFor({ timeout: 2 * timeout });
  return page;
}

/** The live text as a reader reads it: without other readers' caret labels. */
export function liveTextOf(page: Page): Promise<string> {
  return page.evaluate(() => {
    const editor = document.querySelector(".live-text .ProseMirror");
    if (!editor) return "";
    const copy = editor.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(".collaboration-carets__caret").forEach((caret) => caret.remove());
    return copy.textContent ?? "";
  });
}

/** Selects `phrase` in the live text as a mouse drag would, and focuses the editor. */
export async function selectPhrase(page: Page, phrase: string): Promise<void> {
  await page.evaluate((target) => {
    const root = document.querySelector(".live-text .ProseMirror") as HTMLElement;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const index = node.textContent?.indexOf(target) ?? -1;
      if (index < 0) continue;
      root.focus();
      const range = document.createRange();
      range.setStart(node, index);
      range.setEnd(node, index + target.length);
      const selection = window.getSelection() as Selection;
      selection.removeAllRanges();
      selection.addRange(range);
      return;
    }
    throw new Error(`“${target}” is not in one text node of the page`);
  }, phrase);
  // ProseMirror reads the DOM selection on selectionchange.
  await page.waitForFunction(() => !(window.getSelection()?.isCollapsed ?? true));
  await page.waitForTimeout(150);
}

/**
 * Scrolls the live text to `phrase` (to the middle of the screen), as a reader does to read a
 * passage: the margin renders only the cards near the screen.
 */
export async function scrollToPhrase(page: Page, phrase: string): Promise<void> {
  await page.evaluate((target) => {
    const root = document.querySelector(".live-text .ProseMirror") as HTMLElement;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent?.includes(target)) continue;
      node.parentElement?.scrollIntoView({ block: "center" });
      return;
    }
    throw new Error(`“${target}” is not in one text node of the page`);
  }, phrase);
}

/** The margin region. */
export function margin(page: Page) {
  return page.getByRole("complementary", { name: "Margin" });
}

/**
 * What the reading page shows, in a few lines, for a failure's message: where it is scrolled,
 * whether the text is live, the margin's cards (name and top on the screen), and its alerts and
 * statuses. The margin renders only the cards near the screen, so a card missing from this
 * list may simply be far from where the page stands.
 */
export async function describeReadingPage(page: Page): Promise<string> {
  const state = await page.evaluate(() => ({
    url: window.location.href,
    scrollY: Math.round(window.scrollY),
    height: document.documentElement.scrollHeight,
    visibility: document.visibilityState,
    live: document.querySelector(".live-text")?.getAttribute("data-live") ?? "none",
    highlights: document.querySelectorAll(".live-text .hl").length,
    cards: [...document.querySelectorAll("#margin-column article")].map(
      (card) =>
        `${(card.getAttribute("aria-label") ?? "").slice(0, 70)} @${Math.round(card.getBoundingClientRect().top)}`,
    ),
    messages: [...document.querySelectorAll("[role='alert'], [role='status']")]
      .map((element) => (element.textContent ?? "").trim().slice(0, 160))
      .filter(Boolean),
  }));
  return [
    `page: ${state.url}, scrolled to ${state.scrollY} of ${state.height} px, ${state.visibility}, live text: ${state.live}, ${state.highlights} highlights`,
    `margin cards (${state.cards.length}): ${state.cards.join(" | ") || "none"}`,
    `alerts and statuses: ${state.messages.join(" | ") || "none"}`,
  ].join("\n");
}
