/**
 * The reading page with 10,000 threads: every visible thread is drawn in the
 * text, the margin renders only the cards near the screen and brings in the
 * others as the reader scrolls, and a link to one thread focuses its card.
 * Correctness only: how fast is measured by bench/page.ts.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser } from "../helpers/browser";
import { seedReading, seededThreadId } from "../helpers/large-discussion";
import { margin, openReadingAs } from "../helpers/reading-page";

const COUNT = 10_000;
let app: AppServer;
let browser: Browser;
let seeded: Awaited<ReturnType<typeof seedReading>>;
let path: string;

beforeAll(async () => {
  seeded = await seedReading(COUNT);
  path = `/seminars/${seeded.seminarId}/readings/${seeded.documentId}`;
  app = await startAppServer({}, { startTimeoutMs: 240_000 });
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Ids of the threads drawn in the text (every segment lists the threads over it). */
function drawnIds(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const ids = new Set<string>();
    for (const segment of document.querySelectorAll(".live-text [data-annotations]"))
      for (const id of (segment.getAttribute("data-annotations") ?? "").split(" ")) if (id) ids.add(id);
    return [...ids];
  });
}

function cardIds(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>(".margin-cards [data-thread-id]")].map(
      (card) => card.dataset.threadId as string,
    ),
  );
}

describe(`the reading page with ${COUNT.toLocaleString("en-US")} threads`, () => {
  it("draws every open thread, renders the cards near the screen, and brings in more as the reader scrolls", async () => {
    const open = await db.annotation.findMany({
      where: { seminarId: seeded.seminarId, resolvedAt: null },
      select: { id: true },
    });
    expect(open.length).toBeGreaterThan(COUNT * 0.9);
    const page = await openReadingAs(browser, app.url, seeded.instructor, path);
    await page.locator(".margin-cards [data-thread-id]").first().waitFor({ timeout: 120_000 });
    await expect.poll(() => drawnIds(page).then((ids) => ids.length), { timeout: 120_000 }).toBe(open.length);
    expect(new Set(await drawnIds(page))).toEqual(new Set(open.map((row) => row.id)));

    const atTop = await cardIds(page);
    expect(atTop.length).toBeGreaterThan(0);
    expect(atTop.length).toBeLessThan(400);

    // The end of the text: the last threads' cards (or their paragraph's stack) come into the DOM.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const lastIds = new Set(Array.from({ length: 200 }, (_, i) => seededThreadId(COUNT - 1 - i)));
    await expect
      .poll(async () => (await cardIds(page)).some((id) => lastIds.has(id)), { timeout: 30_000 })
      .toBe(true);
    expect((await cardIds(page)).some((id) => atTop.includes(id))).toBe(false);

    // A dense paragraph's stack opens to show all of its threads.
    // The stack nearest the end of the text (on screen after the scroll above), held by its key:
    // the margin re-renders its items as the page moves, so "the first stack" can change under us.
    const key = await margin(page)
      .locator(".margin-cards .margin-stack")
      .last()
      .getAttribute("data-item-key");
    const stack = margin(page)
      .locator(`.margin-cards [data-item-key="${key}"]`)
      .getByRole("button", { name: /^Show all \d+ annotations on this paragraph$/ });
    await stack.scrollIntoViewIfNeeded();
    const label = (await stack.getAttribute("aria-label")) as string;
    const count = Number(/\d+/.exec(label)?.[0]);
    const before = (await cardIds(page)).length;
    await stack.click();
    await margin(page).getByRole("button", { name: "Stack this paragraph’s annotations" }).first().waitFor();
    await expect.poll(async () => (await cardIds(page)).length).toBeGreaterThan(before);
    expect(count).toBeGreaterThanOrEqual(4);
    await page.context().close();
  }, 300_000);

  it("focuses a thread named in the link, with its card beside the text in view", async () => {
    const id = seededThreadId(6_001);
    const page = await openReadingAs(browser, app.url, seeded.instructor, `${path}#thread-${id}`);
    const card = page.locator(`.margin-cards [data-thread-id="${id}"]`);
    await card.waitFor({ timeout: 120_000 });
    await expect.poll(() => card.getAttribute("class"), { timeout: 30_000 }).toContain("thread-active");
    await expect
      .poll(
        () =>
          card.evaluate((element) => {
            const box = element.getBoundingClientRect();
            return box.bottom > 0 && box.top < window.innerHeight;
          }),
        { timeout: 30_000 },
      )
      .toBe(true);
    await page.context().close();
  }, 300_000);

  it("receives the seminar room over a compressed socket (permessage-deflate, the client's window bounded)", async () => {
    const page = await openReadingAs(browser, app.url, seeded.instructor, path, { timeout: 60_000 });
    const cdp = await page.context().newCDPSession(page);
    const urls = new Map<string, string>();
    const extensions = new Map<string, string>();
    cdp.on("Network.webSocketCreated", (event) => urls.set(event.requestId, event.url));
    cdp.on("Network.webSocketHandshakeResponseReceived", (event) => {
      const headers = Object.entries(event.response.headers);
      const header = headers.find(([name]) => name.toLowerCase() === "sec-websocket-extensions");
      const url = urls.get(event.requestId);
      if (url) extensions.set(url, header?.[1] ?? "");
    });
    await cdp.send("Network.enable");
    await page.reload();
    await page.locator(".live-text[data-live='true']").waitFor({ timeout: 120_000 });
    const seminarSocket = () => [...extensions].find(([url]) => url.includes("/collab/seminar"));
    await expect.poll(() => seminarSocket()?.[0], { timeout: 60_000 }).toBeTruthy();
    const negotiated = seminarSocket()?.[1] ?? "";
    expect(negotiated).toContain("permessage-deflate");
    expect(negotiated).toContain("client_max_window_bits=10");
    // And the room arrived whole through it: every open thread is drawn.
    await expect
      .poll(() => drawnIds(page).then((ids) => ids.length), { timeout: 120_000 })
      .toBeGreaterThan(COUNT * 0.9);
    await page.context().close();
  }, 300_000);
});
