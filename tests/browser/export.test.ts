/**
 * The export page in a real browser: reached from the reading's top bar,
 * members only, and a download that shows its progress, saves the file under
 * the server's name, and says so — or shows the server's error. An instructor's
 * download holds a hidden comment's words (marked); a student's never does.
 */
import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser } from "../helpers/browser";
import { buildSeminar, buildUser } from "../helpers/factories";
import { signInAs } from "../helpers/sign-in";
import { buildExportScenario, SECRETS } from "../exports/export-scenario";

/** Where to save screenshots (EXPORT_SCREENSHOTS=dir), for a person to look at. */
const SHOTS = process.env.EXPORT_SCREENSHOTS;
let app: AppServer;
let browser: Browser;
let scenario: Awaited<ReturnType<typeof buildExportScenario>>;
let outsider: Awaited<ReturnType<typeof buildUser>>;

beforeAll(async () => {
  scenario = await buildExportScenario();
  outsider = await buildUser({ name: "Out Sider" });
  await buildSeminar({ instructor: outsider });
  app = await startAppServer();
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function signIn(user: { email: string }): Promise<Page> {
  const context = await browser.newContext({ baseURL: app.url, acceptDownloads: true });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await signInAs(page, user);
  return page;
}

const exportUrl = () => `/seminars/${scenario.seminar.id}/readings/${scenario.documentId}/export`;

describe("the export page", () => {
  it("is linked from the reading's top bar and offers every format, layer and member", async () => {
    const page = await signIn(scenario.sofia);
    await page.goto(`/seminars/${scenario.seminar.id}/readings/${scenario.documentId}`);
    await page.getByRole("link", { name: "Export" }).click();
    await page.waitForURL(`${app.url}${exportUrl()}`);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe(
      "Trotsky, Guest of the Revolution",
    );
    for (const format of [
      "PDF annotated copy",
      "HTML annotated copy",
      "Markdown",
      "CSV",
      "W3C Web Annotation JSON-LD",
    ])
      expect(await page.getByRole("radio", { name: format }).count()).toBe(1);
    for (const layer of ["The seminar’s threads", "My private notes", "Both"])
      expect(await page.getByRole("radio", { name: layer }).count()).toBe(1);
    expect(await page.getByRole("checkbox", { name: "Include resolved threads" }).isChecked()).toBe(true);
    const members = await page.getByLabel("Participant").locator("option").allTextContents();
    expect(members).toEqual(
      expect.arrayContaining(["Everyone", "Irene Instructor (instructor)", "Sofía Estudiante", "Omar Other"]),
    );
    // No snapshots of this reading yet: no "as of" choice.
    expect(await page.getByLabel("As of").count()).toBe(0);
    await page.context().close();
  });

  it("downloads the chosen export, shows what it received, and saves it under the server's name", async () => {
    const page = await signIn(scenario.sofia);
    await page.goto(exportUrl());
    await page.getByRole("radio", { name: "Markdown" }).check();
    await page.getByRole("radio", { name: "Both" }).check();
    const downloading = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe("trotsky-guest-of-the-revolution-annotations.md");
    const text = await readFile(await download.path(), "utf8");
    expect(text).toContain("# Trotsky, Guest of the Revolution");
    expect(text).toContain(SECRETS.sofiaNote);
    expect(text).not.toContain(SECRETS.omarNote);
    expect(text).not.toContain(SECRETS.hiddenReply);
    await page
      .getByRole("status")
      .getByText("Saved trotsky-guest-of-the-revolution-annotations.md.")
      .waitFor();
    await page.context().close();
  });

  it("gives the instructor's download the words of a hidden comment, marked hidden from students", async () => {
    const page = await signIn(scenario.instructor);
    await page.goto(exportUrl());
    await page.getByRole("radio", { name: "CSV" }).check();
    const downloading = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download" }).click();
    const text = await readFile(await (await downloading).path(), "utf8");
    const row = text.split("\r\n").find((line) => line.includes(scenario.ids.replyHidden)) ?? "";
    expect(row).toContain(`"${SECRETS.hiddenReply}"`);
    expect(row.endsWith(`"yes"`)).toBe(true);
    expect(text).not.toContain(SECRETS.deletedReply);
    await page.context().close();
  });

  it("shows the bytes received while the export arrives", async () => {
    const page = await signIn(scenario.sofia);
    await page.goto(exportUrl());
    // Hold the response back so that the progress can be seen.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/export?*", async (route) => {
      const response = await route.fetch();
      await held;
      await route.fulfill({ response });
    });
    await page.getByRole("radio", { name: "HTML annotated copy" }).check();
    const downloading = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download" }).click();
    await page.getByRole("button", { name: "Exporting…" }).waitFor();
    await page.getByRole("status").getByText("0 bytes received").waitFor();
    release();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe("trotsky-guest-of-the-revolution-annotations.html");
    await page
      .getByRole("status")
      .getByText(/^Saved /)
      .waitFor();
    await page.context().close();
  });

  it("shows a PDF's progress with a bar that moves as the server lays it out, then saves it", async () => {
    const page = await signIn(scenario.sofia);
    await page.goto(exportUrl());
    await page.getByRole("radio", { name: "PDF annotated copy" }).check();
    // Every value the bar takes, sampled each frame (the server's steps come faster than a test could poll).
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { progressSeen: number[] }).progressSeen = seen;
      const sample = () => {
        const bar = document.querySelector<HTMLProgressElement>('progress[aria-label="Export progress"]');
        if (bar && seen[seen.length - 1] !== bar.value) seen.push(bar.value);
        requestAnimationFrame(sample);
      };
      sample();
    });
    const downloading = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download" }).click();
    await page.getByRole("progressbar", { name: "Export progress" }).waitFor();
    if (SHOTS) await page.locator(".export-form").screenshot({ path: `${SHOTS}/export-progress.png` });
    const download = await downloading;
    expect(download.suggestedFilename()).toBe("trotsky-guest-of-the-revolution-annotations.pdf");
    const bytes = await readFile(await download.path());
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    await page
      .getByRole("status")
      .getByText("Saved trotsky-guest-of-the-revolution-annotations.pdf.")
      .waitFor();
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen[seen.length - 1]).toBeGreaterThanOrEqual(0.8);
    await page.context().close();
  }, 120_000);

  it("shows the server's refusal in an alert", async () => {
    const page = await signIn(scenario.sofia);
    await page.goto(exportUrl());
    await page.route("**/export?*", (route) =>
      route.fulfill({
        status: 404,
        contentType: "application/json",
        body: JSON.stringify({
          error: { code: "not_found", message: "There is no such snapshot of this reading." },
        }),
      }),
    );
    await page.getByRole("button", { name: "Download" }).click();
    await page.getByRole("alert").getByText("There is no such snapshot of this reading.").waitFor();
    expect(await page.getByRole("button", { name: "Download" }).isEnabled()).toBe(true);
    await page.context().close();
  });

  it("is not found for someone outside the seminar", async () => {
    const page = await signIn(outsider);
    const response = await page.goto(exportUrl());
    expect(response?.status()).toBe(404);
    await page.context().close();
  });
});
