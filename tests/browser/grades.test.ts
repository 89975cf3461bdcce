import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser } from "../helpers/browser";
import { buildSeminar, buildUser } from "../helpers/factories";
import { reply, startThread } from "../helpers/discussion";
import { signInAs } from "../helpers/sign-in";

let app: AppServer;
let browser: Browser;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let iris: Awaited<ReturnType<typeof buildUser>>;
let sol: Awaited<ReturnType<typeof buildUser>>;
/** Where to save screenshots (GRADES_SCREENSHOTS=dir), for a person to look at. */
const SHOTS = process.env.GRADES_SCREENSHOTS;
const POLL = { timeout: 15_000 };

beforeAll(async () => {
  iris = await buildUser({ name: "Iris Instructor" });
  sol = await buildUser({ name: "Sol Student" });
  const ona = await buildUser({ name: "Ona Other" });
  seminar = await buildSeminar({ instructor: iris, students: [sol, ona] });
  const question = await startThread(iris, seminar, {
    kind: "GUIDING_QUESTION",
    phrase: "the savage, the exotic Mexico",
    text: "Whose gaze calls Mexico savage?",
  });
  await startThread(sol, seminar, {
    kind: "COMMENT",
    phrase: "Diego Rivera, the famous Mexican muralist",
    text: "Rivera mattered more than the minister.",
  });
  await reply(sol, question, "The civilized world's gaze.");
  await reply(ona, question, "Perhaps the surrealists saw it that way.");
  app = await startAppServer();
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function signIn(user: { email: string }): Promise<Page> {
  const context = await browser.newContext({
    baseURL: app.url,
    viewport: { width: 1400, height: 1000 },
    acceptDownloads: true,
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await signInAs(page, user);
  return page;
}

const reviewPath = () => `/seminars/${seminar.id}/readings/${seminar.documentId}/review`;

describe("grades in the browser", () => {
  it("an instructor sets a rubric, overrides a score with a reason and downloads the gradebook", async () => {
    const page = await signIn(iris);
    await page.goto(reviewPath());
    const grades = page.getByRole("region", { name: "Grades" });
    await grades.getByLabel("Points per thread started").fill("3");
    await grades.getByLabel("Points per reply").fill("1");
    await grades.getByLabel("Points possible").fill("5");
    await grades.getByLabel("Fewest words to count").fill("3");
    await grades.getByRole("button", { name: "Save rubric" }).click();
    await expect.poll(() => grades.getByRole("status").first().textContent()).toContain("Rubric saved");

    const scores = grades.getByRole("region", { name: "Scores per student" });
    const solRow = scores.getByRole("row", { name: /Sol Student/ });
    await expect.poll(() => solRow.textContent(), POLL).toContain("4 / 5");
    expect(await solRow.getByRole("link", { name: "Sol Student" }).getAttribute("href")).toContain(
      `participant=${sol.id}`,
    );

    await solRow.getByText("Override Sol Student’s score").click();
    const form = solRow.getByRole("form", { name: "Override Sol Student’s score" });
    await form.getByLabel("Score").fill("4.5");
    await form.getByLabel("Reason").fill("Led the discussion in class.");
    await form.getByRole("button", { name: "Save override" }).click();
    await expect
      .poll(() => solRow.textContent(), POLL)
      .toContain("Overridden: “Led the discussion in class.”");
    expect(await solRow.getByRole("cell").nth(2).textContent()).toBe("4.5");
    if (SHOTS) await grades.screenshot({ path: `${SHOTS}/grades.png` });

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      grades.getByRole("link", { name: "Download the seminar’s gradebook (CSV)" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/-gradebook\.csv$/);
    const csv = await readFile(await download.path(), "utf8");
    expect(csv).toContain(`"Sol Student","${sol.email}","${sol.email}","4.5"`);
    expect(csv).toContain("(5 pts)");
  }, 90_000);

  it("a student sees their own score and what it is made of, and no one else's", async () => {
    const page = await signIn(sol);
    await page.goto(reviewPath());
    const own = page.getByRole("region", { name: "Your participation score" });
    await expect.poll(() => own.textContent(), POLL).toContain("Your score: 4.5 of 5 points");
    expect(await own.textContent()).toContain("1 thread · 1 reply");
    expect(await own.textContent()).toContain("Led the discussion in class.");
    expect(await page.getByRole("region", { name: "Grades" }).count()).toBe(0);
    expect(await page.getByRole("region", { name: "Scores per student" }).count()).toBe(0);
  }, 60_000);
});
