/**
 * What a reader is writing in the margin stays until they send it or cancel it.
 *
 * - Through a dropped connection (a server restart, a network change, a keep-alive missed on
 *   a loaded machine): the live text and the margin stay as they are while the page
 *   reconnects, the reply keeps its words and is sent once the page is back, and the text does
 *   not swap to the server's first render and back (docs/adr/0037), and the presence line says
 *   it is reconnecting rather than that the reader is alone. The rooms' sockets go
 *   through the test (`routeWebSocket`), which closes them as a server going away would
 *   (1001); y-websocket then reconnects on its own.
 * - When the page scrolls far away: the margin renders only the cards near the screen, but a
 *   card holding a reply being written stays rendered, so its words are there on the way back.
 * - When its paragraph is stacked (one card shown) and opened again: the words are kept by the
 *   page, not the card, and the stack shows a card being written.
 */
import type { Browser, Page, WebSocketRoute } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser } from "../helpers/browser";
import { startThread } from "../helpers/discussion";
import { buildSeminar, buildUser } from "../helpers/factories";
import { describeReadingPage, margin, scrollToPhrase } from "../helpers/reading-page";
import { signInAs } from "../helpers/sign-in";

let app: AppServer;
let browser: Browser;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let student: Awaited<ReturnType<typeof buildUser>>;

beforeAll(async () => {
  const instructor = await buildUser({ name: "Iris Instructor" });
  student = await buildUser({ name: "Sol Student" });
  seminar = await buildSeminar({ instructor, students: [student] });
  await startThread(instructor, seminar, {
    kind: "COMMENT",
    phrase: "the savage, the exotic Mexico",
    text: "Whose word is savage?",
  });
  await startThread(instructor, seminar, {
    kind: "COMMENT",
    phrase: "the bravest and most honest government of those times",
    text: "Bravest by whose measure?",
  });
  await startThread(student, seminar, {
    kind: "COMMENT",
    phrase: "Diego Rivera",
    text: "The muralist as go-between.",
  });
  // Four threads in one paragraph: the margin stacks them (one card and "4 annotations").
  for (const [phrase, text] of [
    ["against the right or against the Stalinist left", "Two fronts at once."],
    ["during the counter-trial organized by the Dewey Commission", "Why a counter-trial?"],
    ["facing Senator Dies", "Dies and the CPUSA."],
    ["having betrayed the nation", "Strong words from a president."],
  ] as const)
    await startThread(instructor, seminar, { kind: "COMMENT", phrase, text });
  app = await startAppServer();
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** The page's open sockets to the collab server, by room kind ("text", "seminar", "notes"). */
type Sockets = { open: Map<string, WebSocketRoute>; opened: string[] };

async function openReading(): Promise<{ page: Page; sockets: Sockets }> {
  const context = await browser.newContext({ baseURL: app.url, viewport: { width: 1400, height: 1000 } });
  context.setDefaultTimeout(15_000);
  // Every change of the live text's `data-live` and of the connection's status, from the first render on.
  await context.addInitScript(() => {
    const seen = { live: [] as string[], status: [] as string[], presence: [] as string[] };
    (window as unknown as { __seen: typeof seen }).__seen = seen;
    new MutationObserver(() => {
      const live = document.querySelector(".live-text")?.getAttribute("data-live") ?? "none";
      if (seen.live.at(-1) !== live) seen.live.push(live);
      const status = document.querySelector(".live-dot")?.textContent ?? "none";
      if (seen.status.at(-1) !== status) seen.status.push(status);
      const presence = document.querySelector(".presence-summary")?.textContent ?? "none";
      if (seen.presence.at(-1) !== presence) seen.presence.push(presence);
    }).observe(document, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ["data-live"],
    });
  });
  const page = await context.newPage();
  const sockets: Sockets = { open: new Map(), opened: [] };
  await page.routeWebSocket(/\/collab\//, (socket) => {
    const kind = /\/collab\/(\w+)(?::|%3A)/i.exec(socket.url())?.[1] ?? "other";
    socket.connectToServer();
    sockets.open.set(kind, socket);
    sockets.opened.push(kind);
  });
  await signInAs(page, student);
  await page.goto(`/seminars/${seminar.id}/readings/${seminar.documentId}`);
  await page.locator(".live-text[data-live='true']").waitFor({ timeout: 30_000 });
  return { page, sockets };
}

describe("a reply being written", () => {
  it("keeps its words, and the live text stays, while the page reconnects", async () => {
    const { page, sockets } = await openReading();
    const card = margin(page).locator("[data-thread-id]").filter({ hasText: "Whose word is savage?" });
    await card.getByRole("button", { name: "Reply to Iris Instructor’s thread" }).click();
    const composer = card.getByRole("textbox", { name: "Reply to Iris Instructor" });
    await composer.fill("Half a thought, written before the drop.");
    const seen = () =>
      page.evaluate(
        () =>
          (window as unknown as { __seen: { live: string[]; status: string[]; presence: string[] } }).__seen,
      );
    const before = await seen();
    expect(before.live.at(-1)).toBe("true");
    expect(before.status.at(-1)).toBe("Live");

    // The server goes away: both rooms' sockets close, and the page reconnects to them.
    const openedBefore = sockets.opened.length;
    await Promise.all(
      ["text", "seminar"].map((kind) => {
        const socket = sockets.open.get(kind);
        expect(socket, `the page's ${kind} room socket (opened: ${sockets.opened.join(", ")})`).toBeDefined();
        return socket!.close({ code: 1001, reason: "Going away" });
      }),
    );
    await expect
      .poll(() => sockets.opened.slice(openedBefore).sort(), { timeout: 20_000 })
      .toEqual(expect.arrayContaining(["seminar", "text"]));
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor({ timeout: 20_000 });

    // The status said so meanwhile; the live text never gave way to the server's first render;
    // and the reply kept its words.
    const after = await seen();
    const statuses = after.status.slice(before.status.length);
    expect(statuses).toContain("Reconnecting…");
    expect(statuses).not.toContain("Connecting…");
    expect(statuses.at(-1)).toBe("Live");
    expect(after.live.slice(before.live.length - 1), await describeReadingPage(page)).toEqual(["true"]);
    // Nobody else can be seen while the page is not connected: the presence line says so, not
    // "Only you" (the reader is alone here, which it says again once live).
    expect(after.presence.slice(before.presence.length - 1)).toEqual([
      "Only you are reading now",
      "Reconnecting to see who else is reading…",
      "Only you are reading now",
    ]);
    await expect
      .poll(async () => ((await composer.count()) === 0 ? "(no composer)" : await composer.textContent()), {
        message: await describeReadingPage(page),
      })
      .toBe("Half a thought, written before the drop.");

    // And it is sent once the page is back.
    await card.getByRole("button", { name: "Reply", exact: true }).click();
    await expect.poll(() => composer.count()).toBe(0);
    await card.locator(".comment").getByText("Half a thought, written before the drop.").waitFor();
    await page.context().close();
  }, 120_000);

  it("keeps its words, and an edit being written too, while the reader reads and opens a thread far down the text", async () => {
    const { page } = await openReading();
    const first = margin(page).locator("[data-thread-id]").filter({ hasText: "Whose word is savage?" });
    await first.getByRole("button", { name: "Reply to Iris Instructor’s thread" }).click();
    const composer = first.getByRole("textbox", { name: "Reply to Iris Instructor" });
    await composer.fill("To finish after reading the end.");
    // Found by its name (its passage): while it is edited, its words are the composer's.
    const own = margin(page).getByRole("article", { name: /^Comment by Sol Student on “Diego Rivera”/ });
    await own.getByRole("button", { name: "More actions for Sol Student’s comment" }).click();
    await page.getByRole("menuitem", { name: "Edit" }).click();
    const edit = own.getByRole("textbox", { name: "Edit comment" });
    await edit.fill("The muralist as go-between, and host.");

    // Far down the text, the reader opens another thread: the first card is far off the screen
    // and no longer the active one.
    await scrollToPhrase(page, "the bravest and most honest government of those times");
    const last = margin(page).locator("[data-thread-id]").filter({ hasText: "Bravest by whose measure?" });
    await last.click();
    await expect.poll(() => last.getAttribute("class")).toContain("thread-active");
    await page.waitForTimeout(300);

    await scrollToPhrase(page, "the savage, the exotic Mexico");
    await expect
      .poll(async () => ((await composer.count()) === 0 ? "(no composer)" : await composer.textContent()), {
        message: await describeReadingPage(page),
      })
      .toBe("To finish after reading the end.");
    expect(await edit.count(), "the edit's composer, after the reader came back").toBe(1);
    expect(await edit.textContent()).toBe("The muralist as go-between, and host.");
    await page.context().close();
  }, 120_000);

  it("keeps its words when its paragraph is stacked and opened again", async () => {
    const { page } = await openReading();
    await scrollToPhrase(page, "facing Senator Dies");
    const showAll = margin(page).getByRole("button", { name: "Show all 4 annotations on this paragraph" });
    await showAll.click();
    const card = (text: string) => margin(page).locator("[data-thread-id]").filter({ hasText: text });
    const composerWords = async (text: string) => {
      const composer = card(text).getByRole("textbox", { name: "Reply to Iris Instructor" });
      return (await composer.count()) === 0 ? "(no composer)" : await composer.textContent();
    };
    for (const [text, words] of [
      ["Two fronts at once.", "Left and right, both at his door."],
      ["Dies and the CPUSA.", "A committee with its own war."],
    ] as const) {
      await card(text).getByRole("button", { name: "Reply to Iris Instructor’s thread" }).click();
      await card(text).getByRole("textbox", { name: "Reply to Iris Instructor" }).fill(words);
    }

    // Stacked, the paragraph shows one card: one with a reply being written, with its words,
    // even when the reader then focuses another thread of the paragraph from the text.
    await margin(page).getByRole("button", { name: "Stack this paragraph’s annotations" }).click();
    await showAll.waitFor();
    await page.locator(".live-text").getByText("having betrayed the nation").first().click();
    await page.waitForTimeout(300);
    await expect
      .poll(() => composerWords("Two fronts at once."), { message: await describeReadingPage(page) })
      .toBe("Left and right, both at his door.");
    expect(await card("Dies and the CPUSA.").count(), "the stack shows one card").toBe(0);

    // Opened again: both replies are there as they were, and the focus stayed with the reader.
    await showAll.click();
    await expect.poll(() => composerWords("Dies and the CPUSA.")).toBe("A committee with its own war.");
    expect(await composerWords("Two fronts at once.")).toBe("Left and right, both at his door.");
    expect(
      await page.evaluate(
        () => document.activeElement?.classList.contains("comment-composer-input") ?? false,
      ),
      "a composer found open took the focus",
    ).toBe(false);
    await card("Dies and the CPUSA.").getByRole("button", { name: "Reply", exact: true }).click();
    await card("Dies and the CPUSA.")
      .locator(".comment")
      .getByText("A committee with its own war.")
      .waitFor();
    await page.context().close();
  }, 120_000);
});
