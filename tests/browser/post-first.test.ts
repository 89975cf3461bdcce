/**
 * Post first, then see (docs/adr/0019) in the browser: the instructor turns the gate on
 * from the seminar page; a student's margin says how many more annotations to post and
 * shows instructors' threads only (no frame carries a classmate's words); posting opens
 * the gate and the classmates' threads appear without a manual reload.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser } from "../helpers/browser";
import { startThread } from "../helpers/discussion";
import { buildSeminar, buildUser } from "../helpers/factories";
import { margin, selectPhrase } from "../helpers/reading-page";
import { signInAs } from "../helpers/sign-in";

/** Where to save screenshots (POST_FIRST_SCREENSHOTS=dir), for a person to look at. */
const SHOTS = process.env.POST_FIRST_SCREENSHOTS;
const SECRET = "Ona's quokka reading";

let app: AppServer;
let browser: Browser;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let sol: Awaited<ReturnType<typeof buildUser>>;
let ona: Awaited<ReturnType<typeof buildUser>>;

beforeAll(async () => {
  sol = await buildUser({ name: "Sol Student" });
  ona = await buildUser({ name: "Ona Classmate" });
  const instructor = await buildUser({ name: "Iris Instructor" });
  seminar = await buildSeminar({ instructor, students: [sol, ona] });
  await startThread(ona, seminar, {
    kind: "COMMENT",
    phrase: "the world became a planet with no visa",
    text: SECRET,
  });
  await startThread(instructor, seminar, {
    kind: "GUIDING_QUESTION",
    phrase: "raging dogs that must be brought down",
    text: "Who is speaking in this sentence?",
  });
  app = await startAppServer();
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function signIn(user: { email: string }): Promise<Page> {
  const context = await browser.newContext({ baseURL: app.url, viewport: { width: 1400, height: 1000 } });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await signInAs(page, user);
  return page;
}

describe("post first, then see", () => {
  it("the instructor sets the gate; the student sees only the instructor's thread until posting, then everyone's", async () => {
    const instructorPage = await signIn(seminar.instructor);
    await instructorPage.goto(`/seminars/${seminar.id}`);
    const title = (await instructorPage.getByRole("heading", { level: 3 }).first().textContent()) ?? "";
    await instructorPage
      .getByRole("spinbutton", { name: `Annotations a student posts before seeing classmates' on ${title}` })
      .fill("1");
    await instructorPage.getByRole("button", { name: `Save post-first for ${title}` }).click();
    await instructorPage.getByRole("status").filter({ hasText: "Students post 1 first." }).waitFor();
    if (SHOTS) await instructorPage.screenshot({ path: `${SHOTS}/post-first-setting.png` });

    const solPage = await signIn(sol);
    const frames: string[] = [];
    solPage.on("websocket", (socket) =>
      socket.on("framereceived", ({ payload }) => frames.push(Buffer.from(payload).toString("utf8"))),
    );
    await solPage.goto(`/seminars/${seminar.id}/readings/${seminar.documentId}`, { timeout: 30_000 });
    await solPage.locator(".live-text[data-live='true']").waitFor({ timeout: 20_000 });
    await margin(solPage)
      .getByRole("status")
      .filter({ hasText: "Post 1 more annotation to see your classmates' 1" })
      .waitFor();
    await margin(solPage)
      .getByRole("article", { name: /^Guiding question by Iris Instructor/ })
      .waitFor();
    expect(
      await margin(solPage)
        .getByRole("article", { name: /by Ona Classmate/ })
        .count(),
    ).toBe(0);
    expect(await solPage.getByText(SECRET).count()).toBe(0);
    if (SHOTS) await solPage.screenshot({ path: `${SHOTS}/post-first-margin.png` });

    await selectPhrase(solPage, "the savage, the exotic Mexico");
    await solPage.getByRole("button", { name: "Comment on the selection" }).click();
    await solPage.getByRole("textbox", { name: "Comment" }).fill("Whose exoticism is this?");
    await solPage.keyboard.press("Control+Enter");
    expect(frames.filter((frame) => frame.includes("quokka"))).toEqual([]);

    // The gate opens: the page takes the seminar room, and Ona's thread arrives.
    await margin(solPage)
      .getByRole("article", { name: /^Comment by Ona Classmate/ })
      .getByText(SECRET)
      .waitFor({ timeout: 15_000 });
    await margin(solPage)
      .getByRole("article", { name: /^Comment by Sol Student/ })
      .waitFor();
    expect(await margin(solPage).getByRole("status").filter({ hasText: "Post " }).count()).toBe(0);
  }, 120_000);
});
