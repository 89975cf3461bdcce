/**
 * Three readers in three browser contexts: Ben mentions Ada in a reply in Ada’s
 * thread, choosing her from the composer's member list by keyboard; Ada's bell
 * counts it without a reload, and the inbox entry opens the thread. Ben then
 * edits his reply to mention Cyd too: Cyd is told, live; Ada is not told twice.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnnotation } from "../../lib/server/annotations/create-annotation";
import { textToCommentBody } from "../../lib/shared/comments/comment-body";
import { anchorOn } from "../helpers/anchors";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser } from "../helpers/browser";
import { buildSeminar, buildUser } from "../helpers/factories";
import { margin, openReadingAs } from "../helpers/reading-page";

/** Set to a directory to save screenshots for the README. */
const SHOTS = process.env.MARGINALIA_SCREENSHOTS;

let app: AppServer;
let browser: Browser;
let adaPage: Page;
let benPage: Page;
let cydPage: Page;
let threadId: string;

beforeAll(async () => {
  const ada = await buildUser({ name: "Ada Author" });
  const ben = await buildUser({ name: "Ben Replier" });
  const cyd = await buildUser({ name: "Cyd Latecomer" });
  const seminar = await buildSeminar({ students: [ada, ben, cyd] });
  const documentId = seminar.documentId as string;
  threadId = `t${Date.now().toString(36)}${"0".repeat(10)}`;
  await createAnnotation({ userId: ada.id }, seminar.id, documentId, {
    id: threadId,
    kind: "COMMENT",
    anchor: await anchorOn(documentId, "the savage, the exotic Mexico"),
    body: textToCommentBody("Is this how the essay sees Mexico?"),
  });
  app = await startAppServer();
  browser = await launchBrowser();
  const path = `/seminars/${seminar.id}/readings/${documentId}`;
  adaPage = await openReadingAs(browser, app.url, ada, path);
  benPage = await openReadingAs(browser, app.url, ben, path);
  cydPage = await openReadingAs(browser, app.url, cyd, path);
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("notifications in the browser", () => {
  it("a mention picked from the member list reaches the mentioned reader's bell live", async () => {
    await adaPage.getByRole("link", { name: "Notifications", exact: true }).waitFor();

    const thread = margin(benPage).getByRole("article", { name: /^Comment by Ada Author/ });
    await thread.getByRole("button", { name: "Reply to Ada Author’s thread" }).click();
    const reply = thread.getByRole("textbox", { name: "Reply to Ada Author" });
    await reply.click();
    await benPage.keyboard.type("I think so, @Ad");
    const list = benPage.getByRole("listbox", { name: "Mention a member" });
    await list.waitFor();
    expect(await reply.getAttribute("aria-controls")).toBe(await list.getAttribute("id"));
    const option = list.getByRole("option", { name: "Ada Author" });
    expect(await option.getAttribute("aria-selected")).toBe("true");
    expect(await reply.getAttribute("aria-activedescendant")).toBe(await option.getAttribute("id"));
    await benPage.keyboard.press("Enter");
    await list.waitFor({ state: "detached" });
    await benPage.keyboard.type("what do you make of “exotic”?");
    await thread.getByRole("button", { name: "Reply", exact: true }).click();
    await thread.getByText("what do you make of “exotic”?").first().waitFor();
    await thread.locator(".mention", { hasText: "@Ada Author" }).first().waitFor();

    // Ada's bell, on a page she has not reloaded.
    await adaPage.getByRole("link", { name: "Notifications, 1 unread" }).waitFor({ timeout: 10_000 });
  });

  it("the inbox entry opens the thread in the text and is read afterwards", async () => {
    await adaPage.getByRole("link", { name: "Notifications, 1 unread" }).click();
    await adaPage.waitForURL(/\/notifications$/);
    const entry = adaPage.getByRole("link", { name: /Ben Replier mentioned you on “/ });
    await entry.waitFor();
    await adaPage.getByText("“I think so, @Ada Author what do you make of “exotic”?”").waitFor();
    if (SHOTS) await adaPage.screenshot({ path: `${SHOTS}/notifications.png` });
    // Activated from the keyboard, as a reader tabbing through the inbox would.
    await entry.press("Enter");
    await adaPage.waitForURL(new RegExp(`#thread-${threadId}$`));
    await adaPage.locator(".live-text[data-live='true']").waitFor({ timeout: 20_000 });
    await adaPage.getByRole("link", { name: "Notifications", exact: true }).waitFor({ timeout: 10_000 });
  });

  it("a mention added by editing the reply reaches the newly mentioned reader's bell, and only hers", async () => {
    await cydPage.getByRole("link", { name: "Notifications", exact: true }).waitFor();
    const thread = margin(benPage).getByRole("article", { name: /^Comment by Ada Author/ });
    await thread.getByRole("button", { name: "More actions for Ben Replier’s comment" }).click();
    await benPage.getByRole("menuitem", { name: "Edit" }).click();
    const editor = thread.getByRole("textbox", { name: "Edit comment" });
    await editor.waitFor();
    await editor.press("Control+End");
    await benPage.keyboard.type(" And @Cy");
    const list = benPage.getByRole("listbox", { name: "Mention a member" });
    await list.getByRole("option", { name: "Cyd Latecomer" }).click();
    await list.waitFor({ state: "detached" });
    await thread.getByRole("button", { name: "Save", exact: true }).click();
    await thread.locator(".mention", { hasText: "@Cyd Latecomer" }).first().waitFor();
    await thread.getByText("edited").first().waitFor();

    // Cyd is told, live; Ada, mentioned before the edit and already told, is not told again.
    await cydPage.getByRole("link", { name: "Notifications, 1 unread" }).waitFor({ timeout: 10_000 });
    await cydPage.getByRole("link", { name: "Notifications, 1 unread" }).click();
    await cydPage.getByRole("link", { name: /Ben Replier mentioned you on “/ }).waitFor();
    expect(await adaPage.getByRole("link", { name: "Notifications", exact: true }).count()).toBe(1);
  });
});
