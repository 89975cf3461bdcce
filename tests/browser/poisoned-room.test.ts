/**
 * Issue 9 §1, in the browser: a text room whose stored data holds values
 * nested thousands of levels deep (written before the update guard refused
 * them) still opens in Chromium, whose stack is far smaller than Node's, with
 * its whole text, live, and without a stack overflow on the page.
 */
import type { Browser } from "playwright-core";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { applyStoredRoom, loadRoom, toBytes } from "../../lib/server/realtime/update-log";
import { seedTextRoom } from "../../lib/server/realtime/seed-text-room";
import { roomName } from "../../lib/shared/rooms";
import { deepValueUpdate, spliceUpdates } from "../../lib/shared/yjs/update-test-kit";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser } from "../helpers/browser";
import { buildSeminar } from "../helpers/factories";
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

describe("a reading whose stored text room was poisoned", () => {
  it("opens live in Chromium with its whole text, the poisoned values quarantined", async () => {
    const seminar = await buildSeminar();
    const documentId = seminar.documentId as string;
    const room = roomName({ kind: "text", documentId });
    await seedTextRoom(documentId, "test");
    const seeded = new Y.Doc();
    applyStoredRoom(seeded, await loadRoom(room));
    const state = Y.encodeStateAsUpdate(seeded);
    seeded.destroy();

    // The seed merged into a snapshot together with a value nested 5,000 levels; a row nesting 15,000.
    await db.yUpdate.deleteMany({ where: { room } });
    await db.ySnapshot.create({
      data: {
        room,
        state: toBytes(spliceUpdates(state, deepValueUpdate("any", 5_000, 701))),
        stateVector: toBytes(Y.encodeStateVectorFromUpdate(state)),
        throughId: 1n,
      },
    });
    await db.yUpdate.create({
      data: { room, data: toBytes(deepValueUpdate("json", 15_000, 702)), origin: "before-the-guard" },
    });

    // Listening from the first navigation: an overflow while the room syncs would show up here.
    const context = await browser.newContext({ baseURL: app.url });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(`${error.name}: ${error.message}`));
    await signInAs(page, seminar.instructor);
    await page.goto(`/seminars/${seminar.id}/readings/${documentId}`);
    const text = page.getByRole("document", { name: "Trotsky, Guest of the Revolution" });
    await text
      .getByText("the world became a planet with no visa for León Trotsky", { exact: false })
      .waitFor();
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
    expect(errors).toEqual([]);
    expect(
      await db.yQuarantine.findMany({
        where: { room },
        orderBy: { id: "asc" },
        select: { source: true, action: true },
      }),
    ).toEqual([
      { source: "snapshot", action: "repaired" },
      { source: "update", action: "repaired" },
    ]);
    await context.close();
  }, 240_000);
});
