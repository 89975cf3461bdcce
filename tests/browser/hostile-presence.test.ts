/**
 * A reader's page stays up while another client in the seminar room publishes awareness
 * states whose `cursor` is not a caret (the caret renderer would throw on them and take the
 * page down). The server strips them (server/collab/awareness-filter.ts); the page's own
 * guard is unit-tested in lib/client/editor/guarded-carets.test.ts, since the server's filter
 * hides it here.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roomName } from "../../lib/shared/rooms";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser } from "../helpers/browser";
import { connectClient, sessionCookie } from "../helpers/collab";
import { buildSeminar, buildUser } from "../helpers/factories";
import { signInAs } from "../helpers/sign-in";

let app: AppServer;
let browser: Browser;

beforeAll(async () => {
  app = await startAppServer();
  browser = await launchBrowser();
  // The first browser test of a run may build the app (minutes on a busy machine).
}, 900_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const POSITION = { type: { client: 1, clock: 2 }, assoc: 0 };
const MALFORMED_CURSORS: unknown[] = [
  "<string>",
  7,
  ["an", "array"],
  { anchor: "0", head: "1" },
  { anchor: POSITION },
  { anchor: POSITION, head: null },
  { anchor: { item: "x" }, head: { item: {} } },
];

describe("a reading page with a hostile client in its seminar room", () => {
  it("stays up, live and readable while malformed cursors are published", async () => {
    const reader = await buildUser({ name: "Calm Reader" });
    const hostileUser = await buildUser({ name: "Hostile Reader" });
    const seminar = await buildSeminar({ students: [reader, hostileUser] });
    const documentId = seminar.documentId as string;

    const context = await browser.newContext({ baseURL: app.url });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(`${error.name}: ${error.message}`));
    await signInAs(page, reader);
    await page.goto(`/seminars/${seminar.id}/readings/${documentId}`);
    const text = page.getByRole("document", { name: "Trotsky, Guest of the Revolution" });
    const passage = text.getByText("the world became a planet with no visa for León Trotsky", {
      exact: false,
    });
    await passage.waitFor();
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor();

    const hostile = await connectClient(
      { url: `${app.url.replace(/^http/, "ws")}/collab`, origin: app.url },
      roomName({ kind: "seminar", seminarId: seminar.id, documentId }),
      { cookie: (await sessionCookie(hostileUser)).cookie },
    );
    for (const cursor of MALFORMED_CURSORS) {
      hostile.provider.awareness.setLocalStateField("cursor", cursor);
      // Slower than the server's flush, so each state reaches the page.
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // The hostile reader's presence did reach the page …
    await page.getByRole("region", { name: "Reading now" }).getByText("Hostile Reader").waitFor();
    // … and the page is still up, live and readable.
    expect(await page.getByText("This page couldn't load").count()).toBe(0);
    await expect(passage.isVisible()).resolves.toBe(true);
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
    expect(errors).toEqual([]);
    await page.screenshot({ path: "/tmp/aware-hostile-presence.png" });
    hostile.destroy();
    await context.close();
  }, 240_000);
});
