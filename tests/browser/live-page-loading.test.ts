/**
 * The reading page's live code (the editor, the margin, the reader's tools) is not part of the
 * page's start: the page hydrates and works without it while it loads on its own
 * (docs/adr/0034). The test holds back every script the page asks for that the server's HTML
 * did not name, so the page must stand on what it was sent; then lets them through, or fails
 * them. Server, rooms and browser are real.
 */
import type { Browser, BrowserContext, Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { describeViolations, findAxeViolations } from "../helpers/axe";
import { launchBrowser, scriptsNamedIn } from "../helpers/browser";
import { reply, startThread } from "../helpers/discussion";
import { buildSeminar, buildUser } from "../helpers/factories";
import { margin, selectPhrase } from "../helpers/reading-page";
import { signInAs } from "../helpers/sign-in";

let app: AppServer;
let browser: Browser;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let reader: Awaited<ReturnType<typeof buildUser>>;
let other: Awaited<ReturnType<typeof buildUser>>;
let thread: string;
let path: string;
/** The seeded essay's title: the name of the text's article. */
const TITLE = "Trotsky, Guest of the Revolution";

beforeAll(async () => {
  reader = await buildUser({ name: "Rosa Reader" });
  other = await buildUser({ name: "Otto Other" });
  seminar = await buildSeminar({ students: [reader, other] });
  thread = await startThread(reader, seminar, {
    kind: "COMMENT",
    phrase: "the savage, the exotic Mexico",
    text: "Whose Mexico is this?",
  });
  path = `/seminars/${seminar.id}/readings/${seminar.documentId}`;
  app = await startAppServer();
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/**
 * A signed-in page whose scripts not named in the reading's HTML (the ones the page loads by
 * itself once it runs) wait in `held`; `release` lets them and any later ones through, `fail`
 * fails them and any later ones (Next's loader tries a failed chunk once more).
 */
async function openHoldingLateScripts(): Promise<{
  context: BrowserContext;
  page: Page;
  held: Route[];
  release: () => Promise<void>;
  fail: () => Promise<void>;
}> {
  const context = await browser.newContext({ baseURL: app.url, viewport: { width: 1400, height: 1000 } });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await signInAs(page, reader);
  const html = await (await context.request.get(path)).text();
  const sent = new Set(scriptsNamedIn(html, app.url).map((url) => url.pathname));
  expect(sent.size, "script elements in the reading's HTML").toBeGreaterThan(0);
  const held: Route[] = [];
  let mode: "hold" | "pass" | "fail" = "hold";
  await page.route(
    (url) => url.pathname.startsWith("/_next/static/chunks/") && url.pathname.endsWith(".js"),
    (route) => {
      const { pathname } = new URL(route.request().url());
      if (mode === "pass" || sent.has(pathname)) void route.continue();
      else if (mode === "hold") held.push(route);
      else void route.abort("connectionreset");
    },
  );
  const release = async () => {
    mode = "pass";
    await Promise.all(held.splice(0).map((route) => route.continue()));
  };
  const fail = async () => {
    mode = "fail";
    await Promise.all(held.splice(0).map((route) => route.abort("connectionreset")));
  };
  return { context, page, held, release, fail };
}

/** What the page recorded of the live text's first showing (a type only: the page's scripts are serialised). */
type LiveTextRecord = {
  /** At the moment the live text showed: its highlights, and the server's texts still in the page. */
  shown?: { highlights: number; serverTexts: number };
  /** Server texts added after the first, the one the page was sent. */
  serverTextsBuilt: number;
  /** Whether the text column is still the one the page was sent. */
  isSentColumn: () => boolean;
};

describe("the reading page's live code loads after the page has started", () => {
  it("the page is readable and alive on what the server sent; the live text follows its code", async () => {
    const { context, page, held, release } = await openHoldingLateScripts();
    // Not to "load": a script the page is still loading holds that event back.
    await page.goto(path, { waitUntil: "domcontentloaded" });
    // The page's own scripts ran (they asked for the live code) ...
    await expect.poll(() => held.length, { timeout: 15_000 }).toBeGreaterThan(0);
    // ... and hydrated it: the header's bell counts a reply to the reader's thread as it comes.
    await page.getByRole("link", { name: "Notifications", exact: true }).waitFor();
    await reply(other, thread, "Not the one I know.");
    await page.getByRole("link", { name: "Notifications, 1 unread" }).waitFor({ timeout: 15_000 });
    // The server's text and the margin's first thread are there to read; no live text yet.
    await page.getByRole("article", { name: TITLE }).getByText("the exotic Mexico").waitFor();
    await margin(page).locator("[data-preview-thread-id]").first().waitFor();
    expect(await page.locator(".live-text").count()).toBe(0);

    await release();
    await page.locator(".live-text[data-live='true']").waitFor({ timeout: 20_000 });
    await margin(page)
      .getByRole("article", { name: /^Comment by Rosa Reader/ })
      .waitFor();
    await context.close();
  });

  it("a live page whose code cannot load says so, keeps the text, and reloads on request", async () => {
    const { context, page, held, release, fail } = await openHoldingLateScripts();
    // Not to "load": a script the page is still loading holds that event back.
    await page.goto(path, { waitUntil: "domcontentloaded" });
    await expect.poll(() => held.length, { timeout: 15_000 }).toBeGreaterThan(0);
    await fail();
    const alert = page.getByRole("alert").filter({ hasText: "The live page could not load" });
    await alert.waitFor();
    await page.getByRole("article", { name: TITLE }).getByText("the exotic Mexico").waitFor();
    const violations = await findAxeViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);

    await release();
    await alert.getByRole("button", { name: "Reload the page" }).click();
    await page.locator(".live-text[data-live='true']").waitFor({ timeout: 20_000 });
    expect(await page.getByText("The live page could not load").count()).toBe(0);
    await context.close();
  });

  it("the live text takes the server text's place with its highlights drawn and its tools ready", async () => {
    // The live text's first render comes in steps of a task each (the layer's drawing and the
    // selection toolbar while it is hidden, then the text shown): the moment it shows, the
    // server's text is gone and the reader's passage is already highlighted in it. Until then the
    // server's text is the one the page was sent, never built again (live-reading.tsx).
    const context = await browser.newContext({ baseURL: app.url, viewport: { width: 1400, height: 1000 } });
    context.setDefaultTimeout(15_000);
    await context.addInitScript(() => {
      // The text column and the server's text as the parser built them; any server text added
      // later was built again.
      let sentColumn: Element | null = null;
      let sent: Element | null = null;
      const record: LiveTextRecord = {
        serverTextsBuilt: 0,
        isSentColumn: () => sentColumn !== null && document.getElementById("reading-column") === sentColumn,
      };
      (window as unknown as { __liveText: LiveTextRecord }).__liveText = record;
      const serverText = ".reading-text:not(.reading-editor)";
      new MutationObserver((mutations) => {
        sentColumn ??= document.getElementById("reading-column");
        for (const mutation of mutations)
          for (const node of mutation.addedNodes) {
            if (!(node instanceof Element)) continue;
            const added = node.matches(serverText) ? node : node.querySelector(serverText);
            if (added && sent === null) sent = added;
            else if (added && added !== sent) record.serverTextsBuilt++;
          }
        const live = document.querySelector(".live-text[data-live='true']");
        if (!live || record.shown) return;
        record.shown = {
          highlights: live.querySelectorAll(".hl").length,
          serverTexts: document.querySelectorAll(serverText).length,
        };
      }).observe(document, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ["data-live"],
      });
    });
    const page = await context.newPage();
    await signInAs(page, reader);
    await page.goto(path);
    await page.locator(".live-text[data-live='true']").waitFor({ timeout: 20_000 });
    const { shown, serverTextsBuilt, isSentColumn } = await page.evaluate(() => {
      const record = (window as unknown as { __liveText: LiveTextRecord }).__liveText;
      return { ...record, isSentColumn: record.isSentColumn() };
    });
    expect(shown, "a record of the moment the live text showed").toBeDefined();
    expect(shown?.serverTexts, "server texts left the moment the live text showed").toBe(0);
    expect(shown?.highlights, "highlights in the live text the moment it showed").toBeGreaterThan(0);
    expect(serverTextsBuilt, "server texts built after the page was parsed").toBe(0);
    expect(isSentColumn, "the live text shows in the text column the server sent").toBe(true);
    // Its tools are there at once: a selection made right away offers the toolbar.
    await selectPhrase(page, "that had become famous");
    await page.getByRole("toolbar", { name: "Annotate the selection" }).waitFor();
    await context.close();
  });
});
