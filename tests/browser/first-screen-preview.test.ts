/**
 * The first screen's highlights before the seminar room has synced (issue 12): the server
 * reads the open threads whose passages begin near the start of the text, draws them in the
 * text it renders, and the live text draws them (`hl-preview`) while the room is still on
 * its way; once it has synced, the room's threads replace them, the later passages included. The room is held back by
 * routing its websocket through the test and keeping the server's frames until released:
 * the server, the text room and the browser are real.
 */
import type { Browser, Page, WebSocketRoute } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateAnnotation } from "../../lib/server/annotations/update-annotation";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser } from "../helpers/browser";
import { startThread } from "../helpers/discussion";
import { buildSeminar, buildUser } from "../helpers/factories";
import { margin, openReadingAs } from "../helpers/reading-page";

let app: AppServer;
let browser: Browser;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let reader: Awaited<ReturnType<typeof buildUser>>;
/** Near the start of the essay (its first 1,500 characters). */
let dogs: string;
let savage: string;
/** Resolved: the default filter does not draw it, in the preview or after. */
let zapata: string;
/** Past the preview's reach (~6,000 characters in). */
let foreigners: string;

beforeAll(async () => {
  const author = await buildUser({ name: "Ada Author" });
  reader = await buildUser({ name: "Ben Reader" });
  seminar = await buildSeminar({ students: [author, reader] });
  dogs = await startThread(author, seminar, {
    kind: "HIGHLIGHT",
    phrase: "raging dogs that must be brought down",
  });
  savage = await startThread(author, seminar, {
    kind: "COMMENT",
    phrase: "the savage, the exotic Mexico",
    text: "Whose Mexico is this?",
  });
  zapata = await startThread(author, seminar, { kind: "COMMENT", phrase: "Emiliano Zapata", text: "Done." });
  await updateAnnotation({ userId: seminar.instructor.id }, zapata, { resolved: true });
  foreigners = await startThread(author, seminar, {
    kind: "HIGHLIGHT",
    phrase: "a group of foreigners is judging another foreigner",
  });
  app = await startAppServer();
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Ids drawn in the live text, split by whether the segment is the preview's. */
function drawn(page: Page): Promise<{ preview: string[]; live: string[] }> {
  return page.evaluate(() => {
    const preview = new Set<string>();
    const live = new Set<string>();
    for (const segment of document.querySelectorAll(".live-text [data-annotations]")) {
      const into = segment.classList.contains("hl-preview") ? preview : live;
      for (const id of (segment.getAttribute("data-annotations") ?? "").split(" ")) if (id) into.add(id);
    }
    return { preview: [...preview].sort(), live: [...live].sort() };
  });
}

describe("the first screen's highlights before the seminar room syncs", () => {
  it("draws the open passages near the start in the server's text and the live one, then the room's", async () => {
    const path = `/seminars/${seminar.id}/readings/${seminar.documentId}`;
    const page = await openReadingAs(browser, app.url, reader, path);
    // The server's text already carries them, before any script: the near open passages, not
    // the resolved or far ones.
    const scriptless = await browser.newContext({ baseURL: app.url, javaScriptEnabled: false });
    await scriptless.addCookies(await page.context().cookies());
    const plain = await scriptless.newPage();
    await plain.goto(path);
    const drawnBeforeScripts = await plain
      .locator(".reading-text .hl.hl-preview")
      .evaluateAll((spans) => spans.map((span) => span.textContent ?? "").join("|"));
    expect(drawnBeforeScripts).toContain("raging dogs that must be brought down");
    expect(drawnBeforeScripts).toContain("the savage, the exotic Mexico");
    expect(drawnBeforeScripts).not.toContain("Zapata");
    expect(drawnBeforeScripts).not.toContain("foreigner");
    await scriptless.close();
    // From here on, the seminar room's frames from the server wait until released.
    const held: { socket: WebSocketRoute; message: string | Buffer }[] = [];
    let isHeld = true;
    await page.routeWebSocket(
      (url) => decodeURIComponent(url.href).includes(`seminar:${seminar.id}`),
      (socket) => {
        const server = socket.connectToServer();
        server.onMessage((message) => (isHeld ? held.push({ socket, message }) : socket.send(message)));
      },
    );
    await page.reload();
    await page.locator(".live-text[data-live='true']").waitFor({ timeout: 20_000 });

    const near = [dogs, savage].sort();
    await expect.poll(() => drawn(page), { timeout: 15_000 }).toEqual({ preview: near, live: [] });
    // The room's first frames have reached the browser and are held (the socket can open after
    // the preview is drawn, on a loaded machine); the margin still shows the server's preview
    // cards, no live card, and the text still only the preview's passages.
    await expect.poll(() => held.length, { timeout: 15_000 }).toBeGreaterThan(0);
    await margin(page).locator("[data-preview-thread-id]").first().waitFor();
    expect(await margin(page).locator("[data-thread-id]").count()).toBe(0);
    expect(await drawn(page)).toEqual({ preview: near, live: [] });

    isHeld = false;
    for (const { socket, message } of held.splice(0)) socket.send(message);
    await expect
      .poll(() => drawn(page), { timeout: 15_000 })
      .toEqual({ preview: [], live: [...near, foreigners].sort() });
    await margin(page)
      .getByRole("article", { name: /^Comment by Ada Author on “the savage/ })
      .waitFor();
    await page.context().close();
  });
});
