/** Helpers for browser tests of the reading page. */
import type { Browser, Page } from "playwright-core";
import { TEST_PASSWORD } from "./factories";

/** Signs in through the sign-in page and opens a seminar's reading; resolves once the text is live. */
export async function openReadingAs(
  browser: Browser,
  baseUrl: string,
  user: { email: string },
  path: string,
  options: { password?: string } = {},
): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1400, height: 1000 } });
  // Fail fast, with Playwright's own account of what it was waiting for, inside the test's time.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await page.goto("/signin");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(options.password ?? TEST_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${baseUrl}/`);
  await page.goto(path);
  await page.locator(".live-text[data-live='true']").waitFor({ timeout: 20_000 });
  return page;
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

/** The margin region. */
export function margin(page: Page) {
  return page.getByRole("complementary", { name: "Margin" });
}
