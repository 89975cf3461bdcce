import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateAnnotation } from "../../lib/server/annotations/update-annotation";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser } from "../helpers/browser";
import { buildSeminar, buildUser } from "../helpers/factories";
import { reply, startThread, writePrivateNote } from "../helpers/discussion";
import { seedReading } from "../helpers/large-discussion";
import { margin } from "../helpers/reading-page";
import { signInAs } from "../helpers/sign-in";

let app: AppServer;
let browser: Browser;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let sol: Awaited<ReturnType<typeof buildUser>>;
let resolvedQuestion: string;
/** Where to save screenshots (REVIEW_SCREENSHOTS=dir), for a person to look at. */
const SHOTS = process.env.REVIEW_SCREENSHOTS;

beforeAll(async () => {
  const iris = await buildUser({ name: "Iris Instructor" });
  sol = await buildUser({ name: "Sol Student" });
  const ona = await buildUser({ name: "Ona Other" });
  seminar = await buildSeminar({ instructor: iris, students: [sol, ona] });
  await startThread(sol, seminar, { kind: "HIGHLIGHT", phrase: "raging dogs that must be brought down" });
  const breton = await startThread(ona, seminar, {
    kind: "COMMENT",
    phrase: "the world became a planet with no visa",
    text: "Breton's formula sums up the exiles' isolation.",
  });
  await reply(iris, breton, "Note the irony of the word planet.");
  resolvedQuestion = await startThread(iris, seminar, {
    kind: "GUIDING_QUESTION",
    phrase: "the savage, the exotic Mexico",
    text: "Whose gaze calls Mexico savage?",
  });
  await reply(sol, resolvedQuestion, "The civilized world's gaze.");
  await updateAnnotation({ userId: iris.id }, resolvedQuestion, { resolved: true });
  await startThread(sol, seminar, {
    kind: "COMMENT",
    phrase: "Diego Rivera, the famous Mexican muralist",
    text: "Rivera mattered more than the minister.",
  });
  await startThread(ona, seminar, {
    kind: "COMMENT",
    phrase: "the privilege of asylum for all who have been exiled because of political reasons",
    text: "Asylum as a principle, not a favour.",
  });
  await writePrivateNote(seminar.documentId as string, sol.id, {
    phrase: "Octavio Fernández",
    text: "Look up Fernández later",
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
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await signInAs(page, user);
  return page;
}

const reviewPath = () => `/seminars/${seminar.id}/readings/${seminar.documentId}/review`;
const results = (page: Page) => page.getByRole("region", { name: /^Threads/ }).getByRole("article");

async function shoot(page: Page, name: string, fullPage = false) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage });
}

describe("the review page", () => {
  it("an instructor filters and searches, then follows “Open in the text” to the thread, focused", async () => {
    const page = await signIn(seminar.instructor);
    // From the reading's top bar.
    await page.goto(`/seminars/${seminar.id}/readings/${seminar.documentId}`);
    await page.getByRole("link", { name: "Review", exact: true }).click();
    await page.waitForURL(/\/review$/);
    await page.getByRole("heading", { level: 1, name: "Trotsky, Guest of the Revolution" }).waitFor();
    await expect.poll(() => results(page).count()).toBe(5);
    await page.getByRole("table", { name: /^Participation per member/ }).waitFor();
    await shoot(page, "review-instructor", true);

    // A filter applies at once and lands in the URL.
    await page.getByLabel("Kind").selectOption("comment");
    await page.waitForURL(/kind=comment/);
    await expect.poll(() => results(page).count()).toBe(3);

    // Search with stemming: "exile" finds "exiles'" in a comment and "exiled" in a quote.
    await page.getByRole("searchbox", { name: "Search quotes and comments" }).fill("exile");
    await page.keyboard.press("Enter");
    await page.waitForURL(/q=exile/);
    await expect.poll(() => results(page).count()).toBe(2);
    await page.getByLabel("Sort by").selectOption("newest");
    await page.waitForURL(/sort=newest/);
    await expect
      .poll(() =>
        results(page).evaluateAll((entries) => entries.map((entry) => entry.getAttribute("aria-label"))),
      )
      .toEqual([
        "Comment by Ona Other on “the privilege of asylum for all who have been exiled…”",
        "Comment by Ona Other on “the world became a planet with no visa”",
      ]);
    await shoot(page, "review-filtered");

    // The filtered view is a link: reloading keeps it.
    await page.reload();
    await expect.poll(() => results(page).count()).toBe(2);
    await expect(page.getByLabel("Kind").inputValue()).resolves.toBe("comment");

    const entry = results(page).filter({ hasText: "the world became a planet with no visa" });
    await entry.getByRole("link", { name: /^Open in the text/ }).click();
    await page.waitForURL(/\/readings\/[a-z0-9]+#thread-[a-z0-9]+$/);
    await page.locator(".live-text[data-live='true']").waitFor({ timeout: 20_000 });
    const card = margin(page).getByRole("article", { name: /^Comment by Ona Other on “the world became/ });
    await expect.poll(() => card.getAttribute("class"), { timeout: 10_000 }).toContain("thread-active");
    await expect
      .poll(() =>
        card.evaluate((element) => {
          const box = element.getBoundingClientRect();
          return box.top >= 0 && box.bottom <= window.innerHeight;
        }),
      )
      .toBe(true);
    await shoot(page, "reading-focused");
    await page.context().close();
  });

  it("a link to a resolved thread shows it (resolved threads are hidden by default) and focuses it", async () => {
    const page = await signIn(seminar.instructor);
    await page.goto(`/seminars/${seminar.id}/readings/${seminar.documentId}#thread-${resolvedQuestion}`);
    await page.locator(".live-text[data-live='true']").waitFor({ timeout: 20_000 });
    const card = margin(page).getByRole("article", { name: /^Guiding question by Iris Instructor/ });
    await expect.poll(() => card.getAttribute("class"), { timeout: 10_000 }).toContain("thread-active");
    await expect(margin(page).getByRole("checkbox", { name: "Show resolved" }).isChecked()).resolves.toBe(
      true,
    );
    await page.context().close();
  });

  it("a student sees the threads and their own note, but no participation panel", async () => {
    const page = await signIn(sol);
    await page.goto(reviewPath());
    await page.getByRole("heading", { level: 1, name: "Trotsky, Guest of the Revolution" }).waitFor();
    await expect.poll(() => results(page).count()).toBe(6);
    await results(page)
      .filter({ hasText: "Look up Fernández later" })
      .getByText("Private note", { exact: true })
      .waitFor();
    expect(await page.getByRole("heading", { name: "Participation", exact: true }).count()).toBe(0);
    // A student's own score is theirs to see (the grades), and nobody else's.
    await page.getByRole("heading", { name: "Your participation score" }).waitFor();
    expect(await page.getByRole("table", { name: /^Participation per member/ }).count()).toBe(0);
    // The paragraph strip is there for everyone; its bars are labelled.
    await page.getByRole("link", { name: "Paragraph 3: 1 thread, 2 comments. Show its threads." }).waitFor();
    // Students take no snapshots.
    expect(await page.getByRole("button", { name: "Take snapshot" }).count()).toBe(0);
    await shoot(page, "review-student", true);
    await page.context().close();
  });

  it("an instructor takes a snapshot and opens it read-only", async () => {
    const page = await signIn(seminar.instructor);
    await page.goto(reviewPath());
    await page.getByLabel("Snapshot name").fill("Before Thursday");
    await page.getByRole("button", { name: "Take snapshot" }).click();
    await page.getByRole("link", { name: "Before Thursday" }).click();
    await page.waitForURL(/\/snapshots\/[a-z0-9]+$/);
    await page.getByText(/As of snapshot “Before Thursday”, \d+ \w+ \d{4} · read-only/).waitFor();
    const asOf = page.getByRole("complementary", { name: "Margin as of the snapshot" });
    await asOf.getByText("Note the irony of the word planet.").waitFor();
    expect(await page.getByRole("textbox").count()).toBe(0);
    expect(await page.getByRole("button", { name: /Reply|Resolve|Delete/ }).count()).toBe(0);
    await expect(
      page.getByRole("link", { name: "Export this snapshot" }).getAttribute("href"),
    ).resolves.toMatch(/\/export\?snapshotId=[a-z0-9]+$/);
    await shoot(page, "snapshot-view", true);
    await page.context().close();
  });
});

describe("a discussion of more than one page", () => {
  it("shows 50 threads a page, with page links in the URL, and a filter starts again at page 1", async () => {
    const large = await seedReading(120);
    const page = await signIn(large.instructor);
    await page.goto(`/seminars/${large.seminarId}/readings/${large.documentId}/review`);
    const summary = page.locator(".review-summary");
    await summary.getByText(/^Showing 1–50 of 120 threads · \d+ comments$/).waitFor();
    const pages = page.getByRole("navigation", { name: "Pages of threads" });
    expect(await pages.getByRole("link", { name: "Page 1" }).getAttribute("aria-current")).toBe("page");
    expect(await pages.getByRole("link", { name: "Page 3 (last)" }).count()).toBe(1);
    const shownIds = () =>
      page
        .locator("[data-thread-id]")
        .evaluateAll((entries) => entries.map((entry) => entry.getAttribute("data-thread-id")));
    const first = await shownIds();
    expect(first).toHaveLength(50);
    await shoot(page, "review-pages", false);
    await pages.scrollIntoViewIfNeeded();
    await shoot(page, "review-pages-nav", false);

    await pages.getByRole("link", { name: /^Next page/ }).click();
    await page.waitForURL(/[?&]page=2(&|#|$)/);
    await summary.getByText(/^Showing 51–100 of 120 threads/).waitFor();
    expect(await pages.getByRole("link", { name: "Page 2" }).getAttribute("aria-current")).toBe("page");
    const second = await shownIds();
    expect(second).toHaveLength(50);
    expect(second.filter((id) => first.includes(id))).toEqual([]);

    await page.goto(`/seminars/${large.seminarId}/readings/${large.documentId}/review?sort=newest&page=3`);
    await summary.getByText(/^Showing 101–120 of 120 threads/).waitFor();
    expect(await shownIds()).toHaveLength(20);

    await page.getByLabel("Kind").selectOption("question");
    await page.waitForURL(
      (url) => url.searchParams.get("kind") === "question" && !url.searchParams.has("page"),
    );
    await summary.getByText(/^Showing 30 threads/).waitFor();
    expect(await page.getByRole("navigation", { name: "Pages of threads" }).count()).toBe(0);
    await page.context().close();
  }, 120_000);
});
