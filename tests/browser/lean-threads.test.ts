/**
 * Lean threads on the reading page (docs/adr/0027), in chromium: a long thread's card shows
 * its first comment and a count from the room; expanding it loads the replies, and a reply
 * written elsewhere then reaches the open card without a reload. A short thread's reply
 * shows without opening anything, as before. The seminar room's frames carry no reply.
 */
import { randomUUID } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser } from "../helpers/browser";
import { reply, startThread } from "../helpers/discussion";
import { buildSeminar, buildUser } from "../helpers/factories";
import { margin, openReadingAs } from "../helpers/reading-page";

let app: AppServer;
let browser: Browser;
let page: Page;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let ada: Awaited<ReturnType<typeof buildUser>>;
let longThread: string;
let shortThread: string;
const replies = [
  `first-reply-${randomUUID()}`,
  `second-reply-${randomUUID()}`,
  `third-reply-${randomUUID()}`,
];
/** Every websocket frame the reader's browser received, as text. */
const frames: string[] = [];

beforeAll(async () => {
  ada = await buildUser({ name: "Ada Author" });
  const ben = await buildUser({ name: "Ben Reader" });
  seminar = await buildSeminar({ students: [ada, ben] });
  longThread = await startThread(ada, seminar, {
    kind: "COMMENT",
    phrase: "raging dogs that must be brought down",
    text: "Who speaks here?",
  });
  for (const words of replies) await reply(seminar.instructor, longThread, words);
  shortThread = await startThread(ada, seminar, {
    kind: "COMMENT",
    phrase: "the savage, the exotic Mexico",
    text: "An exotic Mexico for whom?",
  });
  app = await startAppServer();
  browser = await launchBrowser();
  page = await openReadingAs(browser, app.url, ben, `/seminars/${seminar.id}/readings/${seminar.documentId}`);
  page.on("websocket", (socket) =>
    socket.on("framereceived", ({ payload }) => frames.push(Buffer.from(payload).toString("latin1"))),
  );
  await page.reload();
  await page.locator(".live-text[data-live='true']").waitFor({ timeout: 20_000 });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const card = (label: RegExp) => margin(page).getByRole("article", { name: label });

describe("lean threads on the reading page", () => {
  it("shows a long thread's first comment and count, and loads the replies when expanded", async () => {
    const long = card(/^Comment by Ada Author on “raging dogs/);
    await long.getByText("Who speaks here?").waitFor();
    const more = long.getByRole("button", { name: "3 more replies" });
    await more.waitFor();
    // The room sent the count, not the words.
    expect(frames.some((frame) => frame.includes(replies[0] as string))).toBe(false);
    await more.click();
    for (const words of replies) await long.getByText(words).waitFor({ timeout: 5000 });
  });

  it("brings a reply written elsewhere to the open thread without a reload", async () => {
    const long = card(/^Comment by Ada Author on “raging dogs/);
    const late = `late-reply-${randomUUID()}`;
    await reply(ada, longThread, late);
    await long.getByText(late).waitFor({ timeout: 10_000 });
    expect(frames.some((frame) => frame.includes(late))).toBe(false);
  });

  it("says so when the open thread's new reply cannot be loaded, and loads it when asked again", async () => {
    const long = card(/^Comment by Ada Author on “raging dogs/);
    // The reply reaches the room (the thread's count and version), but its words cannot be fetched.
    const body = `**/api/annotations/${longThread}/thread`;
    await page.route(body, (route) => route.abort("connectionfailed"));
    const words = `unreachable-reply-${randomUUID()}`;
    await reply(ada, longThread, words);
    await long
      .getByRole("alert")
      .getByText("Could not reach the server.", { exact: false })
      .waitFor({ timeout: 10_000 });
    expect(await long.getByText(words).count()).toBe(0);
    await page.unroute(body);
    await long.getByRole("button", { name: "Try loading the reply again" }).click();
    await long.getByText(words).waitFor({ timeout: 10_000 });
    expect(await long.getByRole("alert").count()).toBe(0);
  });

  it("shows a short thread's new reply without opening it", async () => {
    const short = card(/^Comment by Ada Author on “the savage/);
    await short.getByText("An exotic Mexico for whom?").waitFor();
    const words = `short-reply-${randomUUID()}`;
    await reply(seminar.instructor, shortThread, words);
    await short.getByText(words).waitFor({ timeout: 10_000 });
    await page.setViewportSize({ width: 1440, height: 1000 });
    await short.scrollIntoViewIfNeeded();
    await page.screenshot({ path: "/tmp/lean-threads-desktop.png" });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: "/tmp/lean-threads-phone.png", fullPage: false });
  });
});
