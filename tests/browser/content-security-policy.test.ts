/**
 * Issue 9 §4: every page is served with a strict Content-Security-Policy
 * (a per-request nonce with 'strict-dynamic', no 'unsafe-eval', no plugins,
 * no <base>, no framing), Next's own scripts carry the nonce, and no page —
 * signed out or in, the live reading page included — trips the policy.
 */
import type { Browser, BrowserContext, Page, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { takeSnapshot } from "../../lib/server/snapshots/take-snapshot";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { launchBrowser, scriptsNamedIn } from "../helpers/browser";
import { reply, startThread } from "../helpers/discussion";
import { buildSeminar, buildUser, TEST_PASSWORD } from "../helpers/factories";
import { signInAs } from "../helpers/sign-in";

type User = Awaited<ReturnType<typeof buildUser>>;
type Violation = { directive: string; blocked: string; sample: string };

let app: AppServer;
let browser: Browser;
let iris: User;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let otherInviteCode: string;
let snapshotId: string;

beforeAll(async () => {
  iris = await buildUser({ name: "Iris Instructor" });
  const sol = await buildUser({ name: "Sol Student" });
  seminar = await buildSeminar({ instructor: iris, students: [sol] });
  const thread = await startThread(sol, seminar, {
    kind: "COMMENT",
    phrase: "the savage, the exotic Mexico",
    text: "Whose word is savage?",
  });
  await reply(iris, thread, "Look at who speaks.");
  await startThread(sol, seminar, { kind: "HIGHLIGHT", phrase: "Diego Rivera" });
  snapshotId = (
    await takeSnapshot({ userId: iris.id }, seminar.id, seminar.documentId as string, {
      name: "Before class",
    })
  ).id;
  otherInviteCode = (await buildSeminar()).inviteCode;
  app = await startAppServer();
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** A browser context that records every CSP violation and CSP console error of its pages. */
async function newWatchedContext(): Promise<{
  context: BrowserContext;
  page: Page;
  problems: () => Promise<string[]>;
}> {
  const context = await browser.newContext({ baseURL: app.url, viewport: { width: 1400, height: 1000 } });
  context.setDefaultTimeout(15_000);
  await context.addInitScript(() => {
    const record: Violation[] = [];
    (window as unknown as { __cspViolations: Violation[] }).__cspViolations = record;
    document.addEventListener("securitypolicyviolation", (event) => {
      record.push({ directive: event.violatedDirective, blocked: event.blockedURI, sample: event.sample });
    });
  });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (/Content[- ]Security[- ]Policy|Refused to/i.test(message.text())) consoleErrors.push(message.text());
  });
  const problems = async () => {
    const violations = await page.evaluate(
      () => (window as unknown as { __cspViolations: Violation[] }).__cspViolations,
    );
    return [...violations.map((v) => `${v.directive} blocked ${v.blocked} ${v.sample}`), ...consoleErrors];
  };
  return { context, page, problems };
}

/** The header's nonce, after checking the rest of the policy. */
function checkPolicy(response: Response | null): string {
  expect(response, "the page answered").not.toBeNull();
  expect(response?.status()).toBe(200);
  const policy = response?.headers()["content-security-policy"] ?? "";
  const directives = new Map(
    policy.split(";").map((part) => {
      const [name, ...values] = part.trim().split(/\s+/);
      return [name as string, values];
    }),
  );
  const scriptSrc = directives.get("script-src") ?? [];
  const nonce = /^'nonce-([A-Za-z0-9+/=]{16,})'$/.exec(
    scriptSrc.find((v) => v.startsWith("'nonce-")) ?? "",
  )?.[1];
  expect(nonce, `a nonce in script-src: ${policy}`).toBeTruthy();
  expect(scriptSrc).toContain("'strict-dynamic'");
  expect(policy).not.toContain("unsafe-eval");
  expect(scriptSrc).not.toContain("'unsafe-inline'");
  expect(directives.get("object-src")).toEqual(["'none'"]);
  expect(directives.get("base-uri")).toEqual(["'none'"]);
  expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
  expect(directives.get("form-action")).toEqual(["'self'"]);
  expect(directives.get("connect-src")).toEqual(
    expect.arrayContaining(["'self'", `ws://${new URL(app.url).host}`]),
  );
  return nonce as string;
}

/** Opens `path`, waits for `ready`, and checks the policy, the nonces and that nothing was blocked. */
async function visit(
  watched: Awaited<ReturnType<typeof newWatchedContext>>,
  path: string,
  ready: (page: Page) => Promise<unknown>,
) {
  const { page, problems } = watched;
  const response = await page.goto(path);
  const nonce = checkPolicy(response);
  await ready(page);
  await page.waitForLoadState("networkidle");
  // Every script element the server sent carries this response's nonce (the DOM hides the
  // attribute's value; the property keeps it). A script element added later is one of Next's
  // own chunks, which its runtime loads when the page's code imports it (the reading page's
  // live code, docs/adr/0034): no nonce, admitted by 'strict-dynamic' because a trusted script
  // inserted it, and it must come from this app's chunks, nowhere else.
  const sent = new Set(scriptsNamedIn(await response!.text(), app.url).map((url) => url.href));
  const scripts = await page.evaluate(() =>
    [...document.querySelectorAll("script")].map((script) => ({ nonce: script.nonce, src: script.src })),
  );
  expect(scripts.length).toBeGreaterThan(0);
  expect(sent.size, "script elements in the server's HTML").toBeGreaterThan(0);
  for (const script of scripts) {
    if (!script.src || sent.has(script.src)) {
      expect(script, `script ${script.src || "(inline)"}`).toMatchObject({ nonce });
    } else {
      expect(script.src, "a script added after the page loaded").toMatch(
        new RegExp(`^${app.url.replaceAll(".", "\\.")}/_next/static/chunks/[\\w.-]+\\.js$`),
      );
    }
  }
  expect(await problems(), `CSP problems on ${path}`).toEqual([]);
}

describe("the Content-Security-Policy", () => {
  it("holds on every page signed out, and the sign-in form still works under it", async () => {
    const watched = await newWatchedContext();
    const { page } = watched;
    await visit(watched, "/", (p) => p.getByRole("link", { name: "Sign in" }).first().waitFor());
    await visit(watched, "/signup", (p) => p.getByRole("heading", { name: "Create an account" }).waitFor());
    await visit(watched, "/texts/trotsky-guest-of-the-revolution", (p) =>
      p.getByRole("article", { name: "Trotsky, Guest of the Revolution" }).waitFor(),
    );
    // ?error= shows words only for next-auth's codes: free text in a link is never shown.
    const planted = "Your account is locked. Call +1 555 0100 to unlock it.";
    await visit(watched, `/signin?error=${encodeURIComponent(planted)}`, (p) =>
      p.getByRole("heading", { name: "Sign in" }).waitFor(),
    );
    await expect
      .poll(() => page.getByRole("main").getByRole("alert").textContent())
      .toBe("Could not sign you in. Try again.");
    expect(await page.getByText("Call +1 555", { exact: false }).count()).toBe(0);
    await visit(watched, "/signin?error=OAuthAccountNotLinked", (p) =>
      p.getByRole("heading", { name: "Sign in" }).waitFor(),
    );
    await expect
      .poll(() => page.getByRole("main").getByRole("alert").textContent())
      .toBe("That email is already used by another sign-in method.");
    await visit(watched, "/signin", (p) => p.getByRole("heading", { name: "Sign in" }).waitFor());
    // Hydrated: the form submits through next-auth's client, not a page post.
    await page.getByLabel("Email").fill(iris.email);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${app.url}/`);
    expect(await watched.problems()).toEqual([]);
    await watched.context.close();
  }, 60_000);

  it("holds on every page signed in, the live reading page included", async () => {
    const watched = await newWatchedContext();
    const { page } = watched;
    await signInAs(page, iris);

    const reading = `/seminars/${seminar.id}/readings/${seminar.documentId}`;
    await visit(watched, "/", (p) => p.getByRole("link", { name: seminar.title }).first().waitFor());
    await visit(watched, `/seminars/${seminar.id}`, (p) =>
      p.getByRole("heading", { level: 1, name: seminar.title }).waitFor(),
    );
    // Live: the editor bound to the text room over the /collab websocket, and the margin's threads.
    await visit(watched, reading, async (p) => {
      await p.locator(".live-text[data-live='true']").waitFor({ timeout: 20_000 });
      const card = p
        .getByRole("complementary", { name: "Margin" })
        .getByRole("article")
        .filter({ hasText: "Whose word is savage?" });
      await card.waitFor();
      // The comment composer is a second editor; a reply goes out through fetch and comes back live.
      await card.getByRole("button", { name: "Reply to Sol Student’s thread" }).click();
      await card.getByRole("textbox", { name: "Reply to Sol Student" }).fill("Written under the policy.");
      await card.getByRole("button", { name: "Reply", exact: true }).click();
      // Posted (the composer closes), or the card says why not: a failure names the card's alert.
      const composer = card.getByRole("textbox", { name: "Reply to Sol Student" });
      await expect
        .poll(
          async () =>
            (await composer.count()) === 0
              ? "posted"
              : (await card.getByRole("alert").allTextContents()).join(" ") ||
                `still open, holding “${await composer.textContent()}”`,
          { timeout: 15_000 },
        )
        .toBe("posted");
      await card.getByText("Written under the policy.").waitFor();
    });
    await visit(watched, `${reading}/review`, (p) =>
      p
        .getByRole("region", { name: /^Threads/ })
        .getByRole("article")
        .first()
        .waitFor(),
    );
    await visit(watched, `${reading}/export`, (p) =>
      p.getByRole("heading", { level: 1, name: "Trotsky, Guest of the Revolution" }).waitFor(),
    );
    await visit(watched, `${reading}/snapshots/${snapshotId}`, (p) =>
      p.getByText("Before class").first().waitFor(),
    );
    await visit(watched, `/join/${otherInviteCode}`, (p) =>
      p.getByRole("button", { name: /Join/ }).waitFor(),
    );
    await watched.context.close();
  }, 120_000);

  it("blocks script a page did not send, and the check above would see it", async () => {
    const watched = await newWatchedContext();
    const { page } = watched;
    await page.goto("/signin");
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    // What a stored XSS would try: an inline event handler.
    await page.evaluate(() => {
      const holder = document.createElement("div");
      holder.innerHTML = '<img src="/no-such-image.png" onerror="window.__ran = true">';
      document.body.append(holder);
    });
    await expect.poll(async () => (await watched.problems()).length).toBeGreaterThan(0);
    expect((await watched.problems())[0]).toMatch(/^script-src-attr blocked inline/);
    expect(await page.evaluate(() => (window as unknown as { __ran?: boolean }).__ran)).toBeUndefined();
    await watched.context.close();
  });
});
