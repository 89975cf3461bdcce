import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { FREE_FAILURES } from "../../lib/server/auth/sign-in-throttle";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { HttpSession } from "../helpers/http-session";

let app: AppServer;
beforeAll(async () => {
  app = await startAppServer();
});
afterAll(async () => {
  await app?.stop();
});

const password = "a long enough password";

describe("signing up", () => {
  it("creates an account with an argon2id hash and signs in with it", async () => {
    const session = new HttpSession(app.url);
    const { status, body } = await session.sendJson<{ user: { email: string; name: string } }>(
      "POST",
      "/api/users",
      {
        name: "Ada Reader",
        email: "  Ada@Example.test ",
        password,
      },
    );
    expect(status).toBe(201);
    expect(body.user).toMatchObject({ email: "ada@example.test", name: "Ada Reader" });
    const stored = await db.user.findUniqueOrThrow({ where: { email: "ada@example.test" } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await session.signIn("ada@example.test", password)).toBeNull();
    expect(await session.sessionUser()).toMatchObject({ email: "ada@example.test", name: "Ada Reader" });
  });

  it("refuses a duplicate email with a clear message", async () => {
    const session = new HttpSession(app.url);
    const { status, body } = await session.sendJson<{ error: { code: string; message: string } }>(
      "POST",
      "/api/users",
      {
        name: "Someone Else",
        email: "ada@example.test",
        password,
      },
    );
    expect(status).toBe(409);
    expect(body.error).toEqual({
      code: "conflict",
      message: "An account with this email already exists. Sign in instead.",
    });
  });

  it.each([
    [{ name: "A", email: "not-an-email", password }, "Enter a valid email address."],
    [{ name: "A", email: "short@example.test", password: "seven77" }, "Use at least 8 characters."],
    [{ name: " ", email: "blank@example.test", password }, "Enter your name."],
  ])("refuses %j with 400: %s", async (input, message) => {
    const { status, body } = await new HttpSession(app.url).sendJson<{ error: { message: string } }>(
      "POST",
      "/api/users",
      input,
    );
    expect(status).toBe(400);
    expect(body.error.message).toBe(message);
  });

  it("refuses a body that is not JSON", async () => {
    const response = await new HttpSession(app.url).request("POST", "/api/users", {
      headers: { "content-type": "application/json" },
      body: "{name: not json",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: "invalid_input", message: "The request body must be JSON." },
    });
  });
});

describe("signing in", () => {
  it("refuses a wrong password, and an unknown email, with the same message", async () => {
    const wrong = await new HttpSession(app.url).signIn("ada@example.test", "not the password");
    const unknown = await new HttpSession(app.url).signIn("nobody@example.test", "not the password");
    expect(wrong).toBe("That email and password do not match an account.");
    expect(unknown).toBe(wrong);
  });

  it(`slows down an email after ${FREE_FAILURES} failures, even for the right password, with a clear message`, async () => {
    const email = "target@example.test";
    await new HttpSession(app.url).signUp("Target", email, password);
    for (let i = 0; i < FREE_FAILURES; i++) {
      expect(await new HttpSession(app.url).signIn(email, `wrong ${i}`)).toBe(
        "That email and password do not match an account.",
      );
    }
    expect(await new HttpSession(app.url).signIn(email, "wrong again")).toBe(
      "That email and password do not match an account.",
    );
    const locked = await new HttpSession(app.url).signIn(email, password);
    expect(locked).toMatch(/^Too many failed sign-ins for this email\. Try again in \d+ seconds\.$/);

    // Once the lock has passed, the right password works and the count starts over.
    await db.signInThrottle.update({ where: { email }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    expect(await new HttpSession(app.url).signIn(email, password)).toBeNull();
    expect(await db.signInThrottle.findUnique({ where: { email } })).toBeNull();
  });

  it("signing out revokes the session on the server, so a copied cookie stops working", async () => {
    const session = new HttpSession(app.url);
    expect(await session.signIn("ada@example.test", password)).toBeNull();
    const token = session.cookie("next-auth.session-token") as string;

    const before = await fetch(`${app.url}/api/seminars`, {
      headers: { cookie: `next-auth.session-token=${token}` },
    });
    expect(before.status).toBe(200);
    await session.signOut();
    const after = await fetch(`${app.url}/api/seminars`, {
      headers: { cookie: `next-auth.session-token=${token}` },
    });
    expect(((await after.json()) as { seminars: unknown[] }).seminars).toEqual([]);
    const page = await fetch(`${app.url}/seminars/new`, {
      headers: { cookie: `next-auth.session-token=${token}` },
      redirect: "manual",
    });
    expect(page.status).toBe(307);
    expect(page.headers.get("location")).toContain("/signin?callbackUrl=%2Fseminars%2Fnew");
  });
});

describe("mutations from another site", () => {
  it.each([
    ["a foreign Origin", "https://evil.example"],
    ["no Origin at all", null],
  ])("are refused with 403 for %s, and nothing is created", async (_name, origin) => {
    const { status, body } = await new HttpSession(app.url).sendJson<{
      error: { code: string; message: string };
    }>("POST", "/api/users", { name: "Mallory", email: "mallory@example.test", password }, origin);
    expect(status).toBe(403);
    expect(body.error).toEqual({
      code: "bad_origin",
      message: "This request came from another site and was refused.",
    });
    expect(await db.user.findUnique({ where: { email: "mallory@example.test" } })).toBeNull();
  });
});
