import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnnotation } from "../../lib/server/annotations/create-annotation";
import { projectAnnotation, writeSeminarRoom } from "../../lib/server/realtime/projection";
import { db } from "../../lib/server/db";
import { anchorOn } from "../helpers/anchors";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser } from "../helpers/browser";
import { buildSeminar, buildUser } from "../helpers/factories";
import {
  describeReadingPage,
  margin,
  openReadingAs,
  scrollToPhrase,
  selectPhrase,
} from "../helpers/reading-page";

let app: AppServer;
let browser: Browser;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let student: Awaited<ReturnType<typeof buildUser>>;
let instructorPage: Page;
let studentPage: Page;
/** Every websocket frame the instructor's browser received, as text. */
const instructorFrames: string[] = [];

beforeAll(async () => {
  student = await buildUser({ name: "Sol Student" });
  const instructor = await buildUser({ name: "Iris Instructor" });
  seminar = await buildSeminar({ instructor, students: [student] });
  app = await startAppServer();
  browser = await launchBrowser();
  const path = `/seminars/${seminar.id}/readings/${seminar.documentId}`;
  instructorPage = await openReadingAs(browser, app.url, seminar.instructor, path);
  instructorPage.on("websocket", (socket) =>
    socket.on("framereceived", ({ payload }) =>
      instructorFrames.push(Buffer.from(payload).toString("latin1")),
    ),
  );
  // Reload so the frame capture sees the rooms from their first byte.
  await instructorPage.reload();
  await instructorPage.locator(".live-text[data-live='true']").waitFor({ timeout: 20_000 });
  studentPage = await openReadingAs(browser, app.url, student, path);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const thread = (page: Page, label: RegExp) => margin(page).getByRole("article", { name: label });

describe("annotating together, live", () => {
  it("the student highlights and comments; the instructor sees both in the margin without reloading", async () => {
    await selectPhrase(studentPage, "the savage, the exotic Mexico");
    await studentPage.getByRole("button", { name: "Highlight as Evidence" }).click();
    await thread(studentPage, /^Highlight by Sol Student on “the savage, the exotic Mexico”/).waitFor();

    await selectPhrase(studentPage, "Why did Cárdenas decide to grant asylum to León Trotsky?");
    await studentPage.getByRole("button", { name: "Comment on the selection" }).click();
    await studentPage
      .getByRole("textbox", { name: "Comment" })
      .fill("Is this the question the whole essay answers?");
    await studentPage.keyboard.press("Control+Enter");
    const mine = thread(studentPage, /^Comment by Sol Student on “Why did Cárdenas/);
    await mine.waitFor();
    // Pending until committed, then not.
    await mine.getByText("Saving…", { exact: true }).waitFor({ state: "detached", timeout: 10_000 });

    const started = Date.now();
    await thread(instructorPage, /^Highlight by Sol Student on “the savage, the exotic Mexico”/).waitFor({
      timeout: 5000,
    });
    const comment = thread(instructorPage, /^Comment by Sol Student on “Why did Cárdenas/);
    await comment.getByText("Is this the question the whole essay answers?").waitFor({ timeout: 5000 });
    console.log(
      `[annotate-together] the instructor saw both ${Date.now() - started} ms after the student's comment committed`,
    );
    // The highlight is drawn in the instructor's text too.
    await instructorPage.locator(".live-text .hl", { hasText: "the exotic Mexico" }).first().waitFor();
  });

  it("the instructor replies and pins a guiding question; the student sees both", async () => {
    const comment = thread(instructorPage, /^Comment by Sol Student on “Why did Cárdenas/);
    await comment.getByRole("button", { name: "Reply to Sol Student’s thread" }).click();
    await comment
      .getByRole("textbox", { name: "Reply to Sol Student" })
      .fill("Yes — and watch how Gall answers it.");
    await comment.getByRole("button", { name: "Reply", exact: true }).click();

    await selectPhrase(
      instructorPage,
      "the privilege of asylum for all who have been exiled because of political reasons",
    );
    await instructorPage.getByRole("button", { name: "Guiding question on the selection" }).click();
    await instructorPage
      .getByRole("textbox", { name: "Guiding question" })
      .fill("Whose privilege is asylum: the state’s or the exile’s?");
    await instructorPage.getByRole("button", { name: "Ask" }).click();
    const question = thread(instructorPage, /^Guiding question by Iris Instructor/);
    await question.getByRole("button", { name: "Pin the guiding question" }).click();

    const reply = thread(studentPage, /^Comment by Sol Student on “Why did Cárdenas/);
    await reply.getByText("Yes — and watch how Gall answers it.").waitFor({ timeout: 5000 });
    await reply.getByText("Instructor", { exact: true }).waitFor();
    const pinned = margin(studentPage).getByRole("region", { name: "Guiding questions" });
    const pinnedLink = pinned.getByRole("link", {
      name: "Whose privilege is asylum: the state’s or the exile’s?",
    });
    await pinnedLink.waitFor({ timeout: 5000 });
    // Following it brings the question's thread forward.
    await pinnedLink.click();
    await expect
      .poll(() => thread(studentPage, /^Guiding question by Iris Instructor/).getAttribute("class"))
      .toContain("thread-active");
  });

  it("resolves and reopens a thread", async () => {
    const mine = thread(studentPage, /^Comment by Sol Student on “Why did Cárdenas/);
    await mine.getByRole("button", { name: "Resolve Sol Student’s thread" }).click({ timeout: 5000 });
    // Resolved threads leave the margin (the filter hides them) for both readers…
    await thread(instructorPage, /^Comment by Sol Student on “Why did Cárdenas/).waitFor({
      state: "detached",
      timeout: 5000,
    });
    // …and come back with "Show resolved".
    await margin(instructorPage).getByRole("checkbox", { name: "Show resolved" }).check();
    const resolved = thread(instructorPage, /^Comment by Sol Student on “Why did Cárdenas/);
    await resolved.getByText("Resolved", { exact: true }).waitFor();
    await resolved.getByRole("button", { name: "Reopen Sol Student’s thread" }).click();
    await thread(studentPage, /^Comment by Sol Student on “Why did Cárdenas/).waitFor({ timeout: 5000 });
    await resolved.getByText("Resolved", { exact: true }).waitFor({ state: "detached" });
  });

  it("the student's private note is nowhere in the instructor's page, nor in any frame the instructor's browser received", async () => {
    const marker = "PRIVATE-NOTE-7f3a";
    await selectPhrase(studentPage, "Diego Rivera, the famous Mexican muralist");
    await studentPage.getByRole("button", { name: "Private note on the selection" }).click();
    await studentPage.getByRole("textbox", { name: "Private note" }).fill(`${marker} remember the mural`);
    await studentPage.getByRole("button", { name: "Save note" }).click();
    await thread(studentPage, /^Private note by Sol Student/)
      .getByText(`${marker} remember the mural`)
      .waitFor();

    // Give any (wrongly routed) update time to arrive, then look everywhere.
    await instructorPage.waitForTimeout(1500);
    expect(await instructorPage.content()).not.toContain(marker);
    expect(instructorFrames.length).toBeGreaterThan(0);
    expect(instructorFrames.some((frame) => frame.includes(marker))).toBe(false);
  });

  it("a comment holding an <img onerror> and a javascript: link renders inert", async () => {
    const dialogs: string[] = [];
    instructorPage.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const anchor = await anchorOn(seminar.documentId as string, "Zinoviev and Kamenev");
    const id = `xss${Date.now().toString(36)}0000000000`;
    await createAnnotation({ userId: student.id }, seminar.id, seminar.documentId as string, {
      id,
      kind: "COMMENT",
      anchor,
      body: {
        type: "doc",
        content: [{ type: "paragraph", content: [{ type: "text", text: "<img src=x onerror=alert(1)>" }] }],
      },
    });
    // The API refuses javascript: links, so write one the way a compromised client could not: straight into the row.
    const comment = await db.comment.findFirstOrThrow({ where: { annotationId: id } });
    await writeSeminarRoom(seminar.id, seminar.documentId as string, async (tx, doc) => {
      await tx.comment.update({
        where: { id: comment.id },
        data: {
          body: {
            type: "doc",
            content: [
              { type: "paragraph", content: [{ type: "text", text: "<img src=x onerror=alert(1)>" }] },
              {
                type: "paragraph",
                content: [
                  {
                    type: "text",
                    text: "click me",
                    marks: [{ type: "link", attrs: { href: "javascript:alert(2)" } }],
                  },
                ],
              },
            ],
          },
        },
      });
      await projectAnnotation(tx, doc, id);
    });
    const card = thread(instructorPage, /^Comment by Sol Student on “Zinoviev and Kamenev”/);
    await card.getByText("<img src=x onerror=alert(1)>").waitFor({ timeout: 5000 });
    await card.getByText("click me").waitFor();
    expect(await card.locator("img").count()).toBe(0);
    expect(await instructorPage.locator("a[href^='javascript' i]").count()).toBe(0);
    await card.getByText("click me").click();
    await instructorPage.waitForTimeout(500);
    expect(dialogs).toEqual([]);
  });

  it("a reload keeps everything", async () => {
    await studentPage.reload();
    await studentPage.locator(".live-text[data-live='true']").waitFor({ timeout: 20_000 });
    // The server's preview of the first threads has cards of the same names: wait until the live
    // margin has replaced it, so what follows is read from the rooms, not from the preview.
    await margin(studentPage)
      .getByRole("region", { name: "First threads, while the discussion loads" })
      .waitFor({ state: "detached", timeout: 20_000 });
    // Each thread is looked for where a reader would: at its passage (the margin renders only the
    // cards near the screen, and the reload lands wherever the page's hash and scroll put it).
    const expectThread = async (phrase: string, label: RegExp) => {
      await scrollToPhrase(studentPage, phrase);
      const card = thread(studentPage, label);
      await card.waitFor().catch(async (error: unknown) => {
        throw new Error(`${String(error)}\n${await describeReadingPage(studentPage)}`);
      });
      return card;
    };
    await expectThread(
      "the savage, the exotic Mexico",
      /^Highlight by Sol Student on “the savage, the exotic Mexico”/,
    );
    // The reply loads with the thread's body (the room carries the first comment only); a
    // failure prints what the card showed instead (loading, a count, an error).
    const comment = await expectThread(
      "Why did Cárdenas decide",
      /^Comment by Sol Student on “Why did Cárdenas/,
    );
    await expect
      .poll(() => comment.innerText(), { timeout: 10_000 })
      .toContain("Yes — and watch how Gall answers it.");
    await expectThread("Diego Rivera, the famous Mexican muralist", /^Private note by Sol Student/);
    await expectThread("the privilege of asylum for all", /^Guiding question by Iris Instructor/);
  });

  it("a keyboard-only reader creates a comment", async () => {
    const page = studentPage;
    const text = page.getByRole("document", { name: "Trotsky, Guest of the Revolution" });
    // Tab into the text from the top of the page (no mouse), move the caret down, select a sentence.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.evaluate(() => window.scrollTo(0, 0));
    let presses = 0;
    while (!(await text.evaluate((element) => element === document.activeElement)) && presses < 40) {
      await page.keyboard.press("Tab");
      presses++;
    }
    expect(presses).toBeLessThan(40);
    await page.keyboard.press("Control+Home");
    for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Control+Alt+s");
    await page.waitForTimeout(100);
    // The selection's text as readers quote it: without footnote reference numbers.
    const selected = await page.evaluate(() => {
      const selection = window.getSelection();
      if (!selection || selection.rangeCount === 0) return "";
      const contents = selection.getRangeAt(0).cloneContents();
      contents.querySelectorAll("sup").forEach((sup) => sup.remove());
      return contents.textContent ?? "";
    });
    expect(selected.length).toBeGreaterThan(10);
    await page.keyboard.press("Control+Alt+m");
    const composer = page.getByRole("textbox", { name: "Comment" });
    await composer.waitFor();
    await page.waitForTimeout(100);
    await page.keyboard.type("Typed without a mouse.");
    await page.keyboard.press("Control+Enter");
    const card = margin(page).getByRole("article").filter({ hasText: "Typed without a mouse." });
    await card.waitFor();
    await card.getByText("Saving…", { exact: true }).waitFor({ state: "detached", timeout: 10_000 });
    expect(await card.getAttribute("aria-label")).toContain(selected.trim().slice(0, 20));
  });

  it("a highlight that could not be sent stays, failed, until the reader tries again or discards it", async () => {
    const page = studentPage;
    const kept = thread(page, /^Highlight by Sol Student on “How did this happen\?”/);
    const dropped = thread(page, /^Highlight by Sol Student on “Immediately after that”/);
    await page.context().setOffline(true);
    try {
      await selectPhrase(page, "How did this happen?");
      await page.getByRole("button", { name: "Highlight as Evidence" }).click();
      await selectPhrase(page, "Immediately after that");
      await page.getByRole("button", { name: "Highlight as Evidence" }).click();
      for (const card of [kept, dropped])
        await card.getByRole("alert").getByText("Could not reach the server.", { exact: false }).waitFor();
    } finally {
      await page.context().setOffline(false);
    }

    await dropped.getByRole("button", { name: "Discard" }).click();
    await dropped.waitFor({ state: "detached" });
    await kept.getByRole("button", { name: "Try again" }).click();
    await kept.getByRole("alert").waitFor({ state: "detached", timeout: 10_000 });
    await thread(instructorPage, /^Highlight by Sol Student on “How did this happen\?”/).waitFor({
      timeout: 10_000,
    });
    // Back online, the page reconnects and the student's own room brings the highlight in, committed.
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor({ timeout: 20_000 });
    await kept.getByText("Saving…", { exact: true }).waitFor({ state: "detached", timeout: 10_000 });
    expect(
      await thread(instructorPage, /^Highlight by Sol Student on “Immediately after that”/).count(),
    ).toBe(0);
  });
});
