/**
 * Two readers in two browser contexts: Ben marks Ada's comment helpful and Ada's
 * page, not reloaded, shows the count; the toggle is a button with aria-pressed
 * and the count in its accessible name.
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

beforeAll(async () => {
  const ada = await buildUser({ name: "Ada Author" });
  const ben = await buildUser({ name: "Ben Reader" });
  const seminar = await buildSeminar({ students: [ada, ben] });
  const documentId = seminar.documentId as string;
  await createAnnotation({ userId: ada.id }, seminar.id, documentId, {
    id: `t${Date.now().toString(36)}${"0".repeat(10)}`,
    kind: "COMMENT",
    anchor: await anchorOn(documentId, "the savage, the exotic Mexico"),
    body: textToCommentBody("Is this how the essay sees Mexico?"),
    commentId: `c${Date.now().toString(36)}${"0".repeat(10)}`,
  });
  app = await startAppServer();
  browser = await launchBrowser();
  const path = `/seminars/${seminar.id}/readings/${documentId}`;
  adaPage = await openReadingAs(browser, app.url, ada, path);
  benPage = await openReadingAs(browser, app.url, ben, path);
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("reactions in the browser", () => {
  it("Ben marks Ada's comment helpful and Ada sees the count live", async () => {
    const adaThread = margin(adaPage).getByRole("article", { name: /^Comment by Ada Author/ });
    await adaThread.getByRole("button", { name: "Helpful, 0" }).waitFor();

    const benThread = margin(benPage).getByRole("article", { name: /^Comment by Ada Author/ });
    const helpful = benThread.getByRole("button", { name: "Helpful, 0" });
    expect(await helpful.getAttribute("aria-pressed")).toBe("false");
    await helpful.click();
    const pressed = benThread.getByRole("button", { name: "Helpful, 1" });
    await pressed.waitFor();
    expect(await pressed.getAttribute("aria-pressed")).toBe("true");

    const adaButton = adaThread.getByRole("button", { name: "Helpful, 1" });
    await adaButton.waitFor({ timeout: 10_000 });
    expect(await adaButton.getAttribute("aria-pressed")).toBe("false");
    if (SHOTS) await adaThread.screenshot({ path: `${SHOTS}/reactions.png` });
  });

  it("Ben takes it back, and Ada's count follows", async () => {
    const benThread = margin(benPage).getByRole("article", { name: /^Comment by Ada Author/ });
    await benThread.getByRole("button", { name: "Helpful, 1" }).click();
    await benThread.getByRole("button", { name: "Helpful, 0" }).waitFor();
    const adaThread = margin(adaPage).getByRole("article", { name: /^Comment by Ada Author/ });
    await adaThread.getByRole("button", { name: "Helpful, 0" }).waitFor({ timeout: 10_000 });
  });
});
