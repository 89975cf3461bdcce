/**
 * axe-core on every page, signed out and in, at desktop (1440×1000) and phone
 * (390×844) width: the reading with annotations present and a thread focused,
 * with a dialog open and with who reacted shown, the review (a hidden comment's words
 * shown to its instructor), export, seminar, join and text pages. Any
 * violation of any impact fails, with the rule and elements in the message.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setReaction } from "../../lib/server/annotations/react-to-comment";
import { updateComment } from "../../lib/server/annotations/update-comment";
import { db } from "../../lib/server/db";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { describeViolations, findAxeViolations } from "../helpers/axe";
import { launchBrowser } from "../helpers/browser";
import { reply, startThread, writePrivateNote } from "../helpers/discussion";
import { buildSeminar, buildUser } from "../helpers/factories";
import { margin } from "../helpers/reading-page";
import { signInAs } from "../helpers/sign-in";

let app: AppServer;
let browser: Browser;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let focusedThread: string;

beforeAll(async () => {
  const instructor = await buildUser({ name: "Iris Instructor" });
  const student = await buildUser({ name: "Tomás Herrera" });
  seminar = await buildSeminar({ instructor, students: [student] });
  focusedThread = await startThread(instructor, seminar, {
    kind: "GUIDING_QUESTION",
    phrase: "the savage, the exotic Mexico",
    text: "Whose gaze calls Mexico savage?",
  });
  await reply(student, focusedThread, "The civilized world's gaze.");
  await startThread(student, seminar, { kind: "HIGHLIGHT", phrase: "raging dogs that must be brought down" });
  const pinned = await startThread(student, seminar, {
    kind: "COMMENT",
    phrase: "the world became a planet with no visa",
    text: "Breton's formula sums up the exiles' isolation.",
  });
  await reply(instructor, pinned, "Note the irony of the word planet.");
  // Two threads on overlapping passages, so the overlap badge is on the page.
  const exotic = await startThread(student, seminar, {
    kind: "COMMENT",
    phrase: "the exotic Mexico",
    text: "Exotic to whom?",
  });
  // A hidden opening comment (the instructor's review shows its words, marked) and a reaction
  // (its tooltip of who reacted is checked open).
  const hidden = await db.comment.findFirstOrThrow({ where: { annotationId: exotic } });
  await updateComment({ userId: instructor.id }, hidden.id, { hidden: true });
  const question = await db.comment.findFirstOrThrow({ where: { annotationId: focusedThread } });
  await setReaction({ userId: student.id }, question.id, "helpful", true);
  await writePrivateNote(seminar.documentId as string, instructor.id, {
    phrase: "Diego Rivera",
    text: "Ask about the murals.",
  });
  app = await startAppServer();
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const VIEWPORTS = [
  { name: "desktop", width: 1440, height: 1000 },
  { name: "phone", width: 390, height: 844 },
] as const;

/** Runs axe and records the page's violations under `label`. */
async function check(page: Page, label: string, found: string[]): Promise<void> {
  const violations = await findAxeViolations(page);
  if (violations.length > 0) found.push(`— ${label} (${page.url()}):\n${describeViolations(violations)}`);
}

describe.each(VIEWPORTS)("every page at $name width ($width×$height)", (viewport) => {
  it("has no axe violations signed out", async () => {
    const context = await browser.newContext({ baseURL: app.url, viewport });
    context.setDefaultTimeout(10_000);
    // The first page of a fresh server compiles its routes: slower than a click.
    context.setDefaultNavigationTimeout(30_000);
    const page = await context.newPage();
    const found: string[] = [];
    await page.goto("/");
    await check(page, "home, signed out", found);
    await page.goto("/signin");
    await check(page, "sign-in", found);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").first().waitFor();
    await check(page, "sign-in with errors", found);
    await page.goto("/signup");
    await check(page, "sign-up", found);
    await page.goto(`/join/${seminar.inviteCode}`);
    await check(page, "join, signed out", found);
    await page.goto("/texts/trotsky-guest-of-the-revolution");
    await check(page, "text, signed out", found);
    await context.close();
    expect(found.join("\n\n")).toBe("");
  }, 120_000);

  it("has no axe violations signed in, on the reading (thread focused, dialog open), review and export", async () => {
    const context = await browser.newContext({ baseURL: app.url, viewport });
    context.setDefaultTimeout(10_000);
    // The first page of a fresh server compiles its routes: slower than a click.
    context.setDefaultNavigationTimeout(30_000);
    const page = await context.newPage();
    await signInAs(page, seminar.instructor);
    const found: string[] = [];
    await check(page, "home, signed in", found);
    await page.goto("/seminars/new");
    await check(page, "new seminar", found);
    await page.goto(`/seminars/${seminar.id}`);
    await check(page, "seminar", found);
    await page.goto(`/join/${seminar.inviteCode}`);
    await check(page, "join, signed in", found);

    const readingPath = `/seminars/${seminar.id}/readings/${seminar.documentId}`;
    await page.goto(`${readingPath}#thread-${focusedThread}`);
    await page.locator(".live-text[data-live='true']").waitFor({ timeout: 20_000 });
    const card = margin(page).getByRole("article", { name: /^Guiding question by Iris Instructor/ });
    await expect.poll(() => card.getAttribute("class"), { timeout: 10_000 }).toContain("thread-active");
    await check(page, "reading, a thread focused", found);
    // Who reacted shows when the keyboard reaches a reaction, at both widths (on the phone layout
    // the focus scrolls the margin under the text into view, which once shut the tooltip at once).
    await card.getByRole("button", { name: "Helpful, 1" }).focus();
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Tab");
    await page.getByRole("tooltip", { name: "Helpful: Tomás Herrera" }).waitFor();
    await check(page, "reading, who reacted shown", found);
    await page.getByRole("button", { name: "Keyboard shortcuts" }).click();
    await page.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor();
    await check(page, "reading, shortcuts dialog open", found);
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Edit categories" }).click();
    await page.getByRole("dialog", { name: "Highlight categories" }).waitFor();
    await check(page, "reading, categories dialog open", found);
    await page.keyboard.press("Escape");

    await page.goto(`${readingPath}/review`);
    await page.getByRole("table", { name: /^Participation per member/ }).waitFor();
    await check(page, "review", found);
    await page.goto(`${readingPath}/export`);
    await check(page, "export", found);
    await page.goto("/texts/trotsky-guest-of-the-revolution");
    await check(page, "text, signed in", found);
    await context.close();
    expect(found.join("\n\n")).toBe("");
  }, 180_000);
});
