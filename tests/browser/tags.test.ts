/**
 * #tags in the browser (docs/adr/0021-tags.md): typing `#` in a reply offers
 * the seminar's tags as a listbox driven from the editor (picked by keyboard,
 * then by mouse), a new `#word` typed to its end becomes a tag, the tags are
 * stored with the comment, and the margin's tag filter shows only the threads
 * carrying the chosen tag; the review page filters by tag from its URL.
 */
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnnotation } from "../../lib/server/annotations/create-annotation";
import { db } from "../../lib/server/db";
import type { CommentBody } from "../../lib/shared/comments/comment-body";
import { anchorOn } from "../helpers/anchors";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { describeViolations, findAxeViolations } from "../helpers/axe";
import { launchBrowser } from "../helpers/browser";
import { buildSeminar, buildUser } from "../helpers/factories";
import { margin, openReadingAs } from "../helpers/reading-page";

/** Set to a directory to save screenshots for the README. */
const SHOTS = process.env.MARGINALIA_SCREENSHOTS;

let app: AppServer;
let browser: Browser;
let page: Page;
let adaThread: string;
let benThread: string;
let reviewPath: string;

const body = (words: string, tag: string): CommentBody => ({
  type: "doc",
  content: [
    {
      type: "paragraph",
      content: [
        { type: "text", text: words },
        { type: "tag", attrs: { name: tag } },
      ],
    },
  ],
});

/** Polls the rows until `check` passes: the reply is saved after the click returns. */
async function waitForRows<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  what: string,
): Promise<T> {
  for (let attempt = 0; attempt < 150; attempt += 1) {
    const value = await read();
    if (check(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

beforeAll(async () => {
  const ada = await buildUser({ name: "Ada Author" });
  const ben = await buildUser({ name: "Ben Replier" });
  const seminar = await buildSeminar({ students: [ada, ben] });
  const documentId = seminar.documentId as string;
  adaThread = `t${Date.now().toString(36)}${"0".repeat(10)}`;
  benThread = `t${Date.now().toString(36)}${"1".repeat(10)}`;
  await createAnnotation({ userId: ada.id }, seminar.id, documentId, {
    id: adaThread,
    kind: "COMMENT",
    anchor: await anchorOn(documentId, "the savage, the exotic Mexico"),
    body: body("Is this how the essay sees Mexico? ", "exile"),
  });
  await createAnnotation({ userId: ben.id }, seminar.id, documentId, {
    id: benThread,
    kind: "COMMENT",
    anchor: await anchorOn(documentId, "raging dogs that must be brought down"),
    body: body("Who speaks of dogs here? ", "law"),
  });
  app = await startAppServer();
  browser = await launchBrowser();
  const path = `/seminars/${seminar.id}/readings/${documentId}`;
  reviewPath = `${path}/review`;
  page = await openReadingAs(browser, app.url, ben, path);
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function replyInAdasThread(): Promise<{ thread: Locator; reply: Locator }> {
  const thread = margin(page).getByRole("article", { name: /^Comment by Ada Author/ });
  await thread.getByRole("button", { name: "Reply to Ada Author’s thread" }).click();
  const reply = thread.getByRole("textbox", { name: "Reply to Ada Author" });
  await reply.click();
  return { thread, reply };
}

/** The region of a locator's box, widened by 12 px and lengthened by `below` px, for screenshots. */
async function around(locator: Locator, below: number) {
  const box = await locator.boundingBox();
  if (!box) throw new Error("Nothing to photograph: the element is not shown.");
  return { x: box.x - 12, y: box.y - 12, width: box.width + 24, height: box.height + 24 + below };
}

async function tagsOfBensReplies(): Promise<string[][]> {
  const rows = await db.comment.findMany({
    where: { annotationId: adaThread, author: { name: "Ben Replier" } },
    orderBy: { createdAt: "asc" },
    select: { tags: true },
  });
  return rows.map((row) => row.tags);
}

describe("tags in the browser", () => {
  it("typing # offers the seminar's tags; Enter picks one, and a new #word typed to its end is a tag", async () => {
    const { thread, reply } = await replyInAdasThread();
    await page.keyboard.type("Not only #ex");
    const list = page.getByRole("listbox", { name: "Tag this comment" });
    await list.waitFor();
    expect(await reply.getAttribute("aria-controls")).toBe(await list.getAttribute("id"));
    const option = list.getByRole("option", { name: "#exile" });
    expect(await option.getAttribute("aria-selected")).toBe("true");
    expect(await reply.getAttribute("aria-activedescendant")).toBe(await option.getAttribute("id"));
    await page.keyboard.press("Enter");
    await list.waitFor({ state: "detached" });
    // A tag nobody has used is offered as new while it is typed, and becomes a tag at the space.
    // (The comma goes after the space the picker put after #exile.)
    await page.keyboard.type(", but #Hosp");
    await list.getByRole("option", { name: "#hosp new tag" }).waitFor();
    await page.keyboard.type("itality too");
    await thread.getByRole("button", { name: "Reply", exact: true }).click();
    // Posted: the composer (whose own paragraph holds the words as typed) is emptied or gone.
    await expect
      .poll(async () => (await reply.count()) === 0 || (await reply.innerText()).trim() === "")
      .toBe(true);
    await thread.locator(".tag", { hasText: "#hospitality" }).first().waitFor();
    await thread.locator(".tag", { hasText: "#exile" }).nth(1).waitFor();
    // The comma reads right after the tag, as it would after a typed word.
    const words = thread.getByRole("paragraph").filter({ hasText: "Not only" });
    expect(await words.innerText()).toBe("Not only #exile, but #hospitality too");
    await waitForRows(tagsOfBensReplies, (tags) => tags.length === 1, "Ben's reply");
    expect(await tagsOfBensReplies()).toEqual([["exile", "hospitality"]]);
  });

  it("a click picks a tag too, and tags that reached the margin are offered", async () => {
    const { thread, reply } = await replyInAdasThread();
    await page.keyboard.type("See #");
    const list = page.getByRole("listbox", { name: "Tag this comment" });
    await list.waitFor();
    // The server's tags (most used first) and the one written a moment ago.
    expect(await list.getByRole("option").allTextContents()).toEqual(["#exile", "#law", "#hospitality"]);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/tags-picker.png`, clip: await around(thread, 150) });
    expect(describeViolations(await findAxeViolations(page))).toBe("");
    await list.getByRole("option", { name: "#law" }).click();
    await list.waitFor({ state: "detached" });
    await page.keyboard.type("and the dogs.");
    await thread.getByRole("button", { name: "Reply", exact: true }).click();
    await expect
      .poll(async () => (await reply.count()) === 0 || (await reply.innerText()).trim() === "")
      .toBe(true);
    await waitForRows(tagsOfBensReplies, (tags) => tags.length === 2, "Ben's second reply");
    expect(await tagsOfBensReplies()).toEqual([["exile", "hospitality"], ["law"]]);
  });

  it("the margin's tag filter shows only the threads carrying the tag", async () => {
    const filter = margin(page).getByRole("combobox", { name: "Tag", exact: true });
    expect(await filter.locator("option").allTextContents()).toEqual([
      "Any tag",
      "#exile",
      "#hospitality",
      "#law",
    ]);
    const ada = margin(page).getByRole("article", { name: /^Comment by Ada Author/ });
    const ben = margin(page).getByRole("article", { name: /^Comment by Ben Replier/ });
    await filter.selectOption("hospitality");
    await ben.waitFor({ state: "detached" });
    expect(await ada.count()).toBe(1);
    expect(describeViolations(await findAxeViolations(page))).toBe("");
    if (SHOTS) {
      await ada.scrollIntoViewIfNeeded();
      const card = await around(ada, 40);
      // The passage beside the card, and the card, with a little room above and below.
      await page.screenshot({
        path: `${SHOTS}/tags.png`,
        clip: { x: 150, y: card.y - 20, width: card.x + card.width - 130, height: card.height + 20 },
      });
    }
    await filter.selectOption("law");
    // Ada's thread carries #law in Ben's reply, Ben's in its first comment.
    await ben.waitFor();
    expect(await ada.count()).toBe(1);
    await filter.selectOption("exile");
    await ben.waitFor({ state: "detached" });
    await filter.selectOption("");
    await ben.waitFor();
    expect(await ada.count()).toBe(1);
  });

  it("the review page filters by tag from its URL", async () => {
    await page.goto(`${app.url}${reviewPath}?tag=hospitality`);
    const select = page.getByRole("combobox", { name: "Tag", exact: true });
    expect(await select.inputValue()).toBe("hospitality");
    await page.getByText("Is this how the essay sees Mexico? #exile").waitFor();
    expect(await page.getByText("Who speaks of dogs here?").count()).toBe(0);
  });
});
