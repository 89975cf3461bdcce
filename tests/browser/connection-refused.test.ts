/**
 * A reader whose connections are refused for load (issue 9 §2): the page says
 * "Too many connections; retrying in N s", counts down, does not hammer the
 * server meanwhile, and goes live once a connection is admitted again.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readingPath } from "../../lib/shared/urls";
import { roomName } from "../../lib/shared/rooms";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser } from "../helpers/browser";
import { openRaw, sessionCookie, type RawSocket } from "../helpers/collab";
import { buildSeminar, buildUser } from "../helpers/factories";
import { signInAs } from "../helpers/sign-in";

/** Sockets one user may hold in this app: as many as the sockets the test holds itself. */
const CAP = 3;

let app: AppServer;
let browser: Browser;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let student: Awaited<ReturnType<typeof buildUser>>;

beforeAll(async () => {
  student = await buildUser({ name: "Tab Hoarder" });
  seminar = await buildSeminar({ students: [student] });
  app = await startAppServer({ MARGINALIA_COLLAB_SOCKETS_PER_USER: String(CAP) });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Metrics of the app's collab server (served to localhost). */
async function refusedForUserCap(): Promise<number> {
  const response = await fetch(`${app.url}/collab/metrics`);
  const metrics = (await response.json()) as { admission: { refused: { "user-cap": number } } };
  return metrics.admission.refused["user-cap"];
}

describe("a connection refused for load", () => {
  it("shows 'Too many connections; retrying in N s', counts down, and goes live once admitted", async () => {
    // The student's other tabs: they hold every socket the cap allows.
    const { cookie } = await sessionCookie(student);
    const endpoint = { url: `${app.url.replace("http", "ws")}/collab`, origin: app.url };
    const room = roomName({
      kind: "seminar",
      seminarId: seminar.id,
      documentId: seminar.documentId as string,
    });
    const held: RawSocket[] = [];
    for (let i = 0; i < CAP; i++) {
      const result = await openRaw(endpoint, room, { cookie });
      if (!("socket" in result))
        throw new Error(`A held socket was refused: ${result.status} ${result.body}`);
      held.push(result.socket);
    }

    const context = await browser.newContext({ baseURL: app.url });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    await signInAs(page, student);
    await page.goto(readingPath(seminar.id, seminar.documentId as string));

    const banner = page.getByRole("alert").filter({ hasText: /Too many connections; retrying in \d+ s/ });
    await banner.waitFor();
    const secondsLeft = async () =>
      Number(/retrying in (\d+) s/.exec((await banner.textContent()) ?? "")?.[1]);
    const first = await secondsLeft();
    expect(first).toBeGreaterThan(1);
    await expect.poll(secondsLeft, { timeout: 5000 }).toBeLessThan(first);

    // While it waits, it does not try again: the refusals the server counted stay put.
    const refusedWhileWaiting = await refusedForUserCap();
    await page.waitForTimeout(1500);
    expect(await refusedForUserCap()).toBe(refusedWhileWaiting);

    for (const socket of held) socket.ws.close();
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor({ timeout: 60_000 });
    // The page's three rooms reconnect one by one: "Live" can show while another room's
    // banner still counts down, so wait for the banner to go (it fails if it never does).
    await page
      .getByText(/Too many connections/)
      .first()
      .waitFor({ state: "detached", timeout: 60_000 });
    expect(await page.getByText(/Too many connections/).count()).toBe(0);
    await context.close();
  }, 180_000);
});
