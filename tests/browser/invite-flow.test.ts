import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { buildEssay } from "../helpers/factories";
import { launchBrowser } from "../helpers/browser";

let app: AppServer;
let browser: Browser;

beforeAll(async () => {
  await buildEssay();
  app = await startAppServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function signUp(page: Page, name: string, email: string) {
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a long enough password");
  await page.getByRole("button", { name: "Create account" }).click();
}

describe("inviting a student", () => {
  it("an instructor signs up, creates a seminar, assigns the essay and copies the invite; a student joins through it and sees the reading", async () => {
    const instructorContext = await browser.newContext({
      permissions: ["clipboard-read", "clipboard-write"],
      baseURL: app.url,
    });
    const instructor = await instructorContext.newPage();
    await instructor.goto("/signup");
    await signUp(instructor, "Iris Instructor", "iris@example.test");
    await instructor.waitForURL(`${app.url}/`);
    await instructor.getByRole("heading", { name: "Your seminars" }).waitFor();

    await instructor.getByRole("link", { name: "New seminar" }).click();
    await instructor.getByLabel("Title").fill("Asylum and Sovereignty");
    await instructor.getByRole("button", { name: "Create seminar" }).click();
    await instructor.waitForURL(/\/seminars\/[a-z0-9]+$/);
    await instructor.getByRole("heading", { level: 1, name: "Asylum and Sovereignty" }).waitFor();

    await instructor
      .getByLabel("Text")
      .selectOption({ label: "Trotsky, Guest of the Revolution — Olivia Gall" });
    await instructor.getByLabel("Instruction").fill("Find Cárdenas’ reasons.");
    await instructor.getByRole("button", { name: "Assign reading" }).click();
    await instructor.getByRole("link", { name: "Trotsky, Guest of the Revolution" }).first().waitFor();

    await instructor.getByRole("button", { name: "Copy invite link" }).click();
    await instructor.getByRole("status").filter({ hasText: "Invite link copied." }).waitFor();
    const copied = await instructor.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(await instructor.getByRole("textbox", { name: "Invite link" }).inputValue());
    expect(copied).toMatch(
      new RegExp(`^${app.url.replace("127.0.0.1", "(127\\.0\\.0\\.1|localhost)")}/join/[a-z2-9]{10}$`),
    );

    const studentContext = await browser.newContext({ baseURL: app.url });
    const student = await studentContext.newPage();
    await student.goto(new URL(new URL(copied).pathname, app.url).toString());
    await expect(student.getByRole("heading", { name: "Asylum and Sovereignty" }).isVisible()).resolves.toBe(
      true,
    );
    await student.getByRole("link", { name: "Create an account to join" }).click();
    await signUp(student, "Sol Student", "sol@example.test");
    await student.waitForURL(/\/join\/[a-z2-9]{10}$/);
    await student.getByRole("button", { name: "Join seminar" }).click();
    await student.waitForURL(/\/seminars\/[a-z0-9]+$/);

    await student.getByText("Find Cárdenas’ reasons.").waitFor();
    await student.getByRole("link", { name: "Open reading" }).click();
    await student.waitForURL(/\/readings\//);
    await student.getByRole("heading", { level: 1, name: "Trotsky, Guest of the Revolution" }).waitFor();

    // The instructor sees the new member.
    await instructor.reload();
    await instructor.getByText("Sol Student").waitFor();
    await instructorContext.close();
    await studentContext.close();
  });
});
