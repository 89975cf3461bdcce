import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser } from "../helpers/browser";

let app: AppServer;
let browser: Browser;

beforeAll(async () => {
  app = await startAppServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("reading the essay in a browser", () => {
  it("opens the essay from the home page and follows footnote 4 there and back", async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
    await page.getByRole("link", { name: "Trotsky, Guest of the Revolution" }).click();
    await page.waitForURL(/\/texts\/trotsky-guest-of-the-revolution$/);

    await page.getByRole("heading", { level: 1, name: "Trotsky, Guest of the Revolution" }).waitFor();
    const article = page.getByRole("article", { name: "Trotsky, Guest of the Revolution" });
    await article.getByText("Olivia Gall", { exact: true }).waitFor();
    await article
      .getByText("the world became a planet with no visa for León Trotsky", { exact: false })
      .waitFor();

    await article.getByRole("link", { name: "Note 4", exact: true }).click();
    await page.waitForURL(/#note-4$/);
    const note = page.locator("#note-4");
    await expect(note.textContent()).resolves.toContain("Octavio Fernández’s testimony");
    await note.waitFor();
    // Scrolling is smooth, so wait for the note to arrive in the viewport.
    await expect.poll(() => isInViewport("#note-4")).toBe(true);

    await note.getByRole("link", { name: "Back to text: reference 4" }).click();
    await page.waitForURL(/#ref-4$/);
    await expect.poll(() => isInViewport("#ref-4")).toBe(true);
    await expect.poll(() => isInViewport("#note-4")).toBe(false);
    await page.close();

    function isInViewport(selector: string) {
      return page.locator(selector).evaluate((element) => {
        const box = element.getBoundingClientRect();
        return box.top >= 0 && box.bottom <= window.innerHeight;
      });
    }
  });

  it("answers 404 for a text that does not exist", async () => {
    const response = await fetch(`${app.url}/texts/no-such-text`);
    expect(response.status).toBe(404);
  });
});
