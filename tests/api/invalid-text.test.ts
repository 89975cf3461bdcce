/**
 * Issue 9 §4: a NUL byte (or a lone surrogate, or a noncharacter) in any text
 * input gets a clear 400 naming the field and the character, on every route
 * and every text field — JSON bodies, route parameters, query strings, the
 * sign-in form and page addresses — and nothing saved changes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { textToCommentBody } from "../../lib/shared/comments/comment-body";
import { anchorOn } from "../helpers/anchors";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { reply, startThread } from "../helpers/discussion";
import { buildSeminar, buildUser, TEST_PASSWORD } from "../helpers/factories";
import { HttpSession, signedInAs } from "../helpers/http-session";
import type { StoredAnchor } from "../../lib/shared/anchors/anchor";

type User = Awaited<ReturnType<typeof buildUser>>;
type ErrorBody = { error: { code: string; message: string; details?: { field?: string } } };

let app: AppServer;
let iris: User;
let sol: User;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let threadId: string;
let commentId: string;
let categoryId: string;
let readingId: string;
let anchor: StoredAnchor;

beforeAll(async () => {
  iris = await buildUser({ name: "Iris Instructor" });
  sol = await buildUser({ name: "Sol Student" });
  seminar = await buildSeminar({ instructor: iris, students: [sol] });
  threadId = await startThread(sol, seminar, {
    kind: "COMMENT",
    phrase: "the savage, the exotic Mexico",
    text: "Whose word is savage?",
  });
  commentId = await reply(iris, threadId, "Look at who speaks.");
  categoryId = (await db.category.findFirstOrThrow({ where: { seminarId: seminar.id } })).id;
  readingId = (await db.reading.findFirstOrThrow({ where: { seminarId: seminar.id } })).id;
  anchor = await anchorOn(seminar.documentId as string, "Diego Rivera");
  app = await startAppServer();
}, 180_000);

afterAll(async () => {
  await app?.stop();
});

const as = signedInAs(() => app.url);

/** The characters refused, each with how the message names it. */
const BAD: [string, string, string][] = [
  ["NUL", "a\u0000b", "U+0000, a null character"],
  ["a lone high surrogate", "a\uD800b", "U+D800, half of a surrogate pair, which is not valid Unicode"],
  ["a lone low surrogate", "\uDC00ab", "U+DC00, half of a surrogate pair, which is not valid Unicode"],
  ["U+FFFE", "ab\uFFFE", "U+FFFE, a Unicode noncharacter"],
  ["U+FFFF", "\uFFFFab", "U+FFFF, a Unicode noncharacter"],
];

/** A comment body whose one paragraph is `text`. */
const commentBody = (text: string) => ({
  type: "doc",
  content: [{ type: "paragraph", content: [{ type: "text", text }] }],
});

let counter = 0;
const newId = () => `bad${Date.now().toString(36)}${(counter++).toString(36).padStart(8, "0")}`;

type Case = {
  /** Who sends it; null: signed out. */
  user: () => User | null;
  method: string;
  path: () => string;
  /** The body with `bad` in the field under test. */
  body: (bad: string) => unknown;
  /** The field as the message names it. */
  field: (bad: string) => string;
};

const seminarPath = () => `/api/seminars/${seminar.id}`;
const readingPath = () => `${seminarPath()}/documents/${seminar.documentId}`;

/** Every text field of every JSON route. */
const CASES: Record<string, Case> = {
  "sign-up display name": {
    user: () => null,
    method: "POST",
    path: () => "/api/users",
    body: (bad) => ({ name: `Ada ${bad}`, email: `${newId()}@example.test`, password: "long enough pass" }),
    field: () => "name",
  },
  "sign-up email": {
    user: () => null,
    method: "POST",
    path: () => "/api/users",
    body: (bad) => ({ name: "Ada", email: `${bad}@example.test`, password: "long enough pass" }),
    field: () => "email",
  },
  "sign-up password": {
    user: () => null,
    method: "POST",
    path: () => "/api/users",
    body: (bad) => ({ name: "Ada", email: `${newId()}@example.test`, password: `long enough ${bad}` }),
    field: () => "password",
  },
  "seminar title": {
    user: () => iris,
    method: "POST",
    path: () => "/api/seminars",
    body: (bad) => ({ title: `Close ${bad}`, description: "fine" }),
    field: () => "title",
  },
  "seminar description": {
    user: () => iris,
    method: "POST",
    path: () => "/api/seminars",
    body: (bad) => ({ title: "Close reading", description: `About ${bad}` }),
    field: () => "description",
  },
  "join code": {
    user: () => sol,
    method: "POST",
    path: () => "/api/join",
    body: (bad) => ({ code: `${seminar.inviteCode}${bad}` }),
    field: () => "code",
  },
  "new category name": {
    user: () => iris,
    method: "POST",
    path: () => `${seminarPath()}/categories`,
    body: (bad) => ({ name: `Motif ${bad}`, color: "#f6d365" }),
    field: () => "name",
  },
  "new category colour": {
    user: () => iris,
    method: "POST",
    path: () => `${seminarPath()}/categories`,
    body: (bad) => ({ name: "Motif", color: `#f6d36${bad}` }),
    field: () => "color",
  },
  "category rename": {
    user: () => iris,
    method: "PATCH",
    path: () => `${seminarPath()}/categories/${categoryId}`,
    body: (bad) => ({ name: `Renamed ${bad}` }),
    field: () => "name",
  },
  "reading instruction": {
    user: () => iris,
    method: "POST",
    path: () => `${seminarPath()}/readings`,
    body: (bad) => ({ documentId: seminar.documentId, instruction: `Read ${bad}` }),
    field: () => "instruction",
  },
  "reading instruction change": {
    user: () => iris,
    method: "PATCH",
    path: () => `${seminarPath()}/readings/${readingId}`,
    body: (bad) => ({ instruction: `Read again ${bad}` }),
    field: () => "instruction",
  },
  "member role": {
    user: () => iris,
    method: "PATCH",
    path: () => `${seminarPath()}/members/${sol.id}`,
    body: (bad) => ({ role: `INSTRUCTOR${bad}` }),
    field: () => "role",
  },
  "first comment of a thread": {
    user: () => sol,
    method: "POST",
    path: () => `${readingPath()}/annotations`,
    body: (bad) => ({
      id: newId(),
      kind: "COMMENT",
      anchor,
      body: commentBody(`Rivera ${bad}`),
      commentId: newId(),
    }),
    field: () => "body.content.0.content.0.text",
  },
  "quoted passage": {
    user: () => sol,
    method: "POST",
    path: () => `${readingPath()}/annotations`,
    body: (bad) => ({
      id: newId(),
      kind: "HIGHLIGHT",
      anchor: { ...anchor, quote: { ...anchor.quote, exact: bad } },
    }),
    field: () => "anchor.quote.exact",
  },
  "annotation category": {
    user: () => sol,
    method: "PATCH",
    path: () => `/api/annotations/${threadId}`,
    body: (bad) => ({ categoryId: `${categoryId}${bad}` }),
    field: () => "categoryId",
  },
  reply: {
    user: () => iris,
    method: "POST",
    path: () => `/api/annotations/${threadId}/comments`,
    body: (bad) => ({ id: newId(), body: commentBody(`Indeed ${bad}`) }),
    field: () => "body.content.0.content.0.text",
  },
  "comment edit": {
    user: () => iris,
    method: "PATCH",
    path: () => `/api/comments/${commentId}`,
    body: (bad) => ({ body: commentBody(`Edited ${bad}`) }),
    field: () => "body.content.0.content.0.text",
  },
  "snapshot name": {
    user: () => iris,
    method: "POST",
    path: () => `${readingPath()}/snapshots`,
    body: (bad) => ({ name: `Before class ${bad}` }),
    field: () => "name",
  },
  "a key of the body": {
    user: () => iris,
    method: "POST",
    path: () => "/api/seminars",
    body: (bad) => ({ title: "Fine", [`extra${bad}`]: 1 }),
    field: (bad) => `extra${bad}`,
  },
};

/** What the requests above could have changed, read straight from the database. */
async function savedState() {
  const [users, seminars, categories, readings, annotations, comments, snapshots, memberships] =
    await Promise.all([
      db.user.findMany({ select: { id: true, name: true, email: true }, orderBy: { id: "asc" } }),
      db.seminar.findMany({ select: { id: true, title: true, description: true }, orderBy: { id: "asc" } }),
      db.category.findMany({ select: { id: true, name: true, color: true }, orderBy: { id: "asc" } }),
      db.reading.findMany({ select: { id: true, instruction: true }, orderBy: { id: "asc" } }),
      db.annotation.findMany({
        select: { id: true, categoryId: true, quoteExact: true },
        orderBy: { id: "asc" },
      }),
      db.comment.findMany({ select: { id: true, bodyText: true }, orderBy: { id: "asc" } }),
      db.discussionSnapshot.count(),
      db.membership.findMany({
        select: { userId: true, seminarId: true, role: true },
        orderBy: { userId: "asc" },
      }),
    ]);
  return { users, seminars, categories, readings, annotations, comments, snapshots, memberships };
}

describe("refused characters in JSON bodies", () => {
  let before: Awaited<ReturnType<typeof savedState>>;
  beforeAll(async () => {
    before = await savedState();
  });

  const table = Object.entries(CASES).flatMap(([name, route]) =>
    BAD.map(([badName, bad, words]) => [name, badName, route, bad, words] as const),
  );

  it.each(table)("%s with %s gets a 400 naming the field", async (_name, _bad, route, bad, words) => {
    const user = route.user();
    const session = user ? await as(user) : new HttpSession(app.url);
    const { status, body } = await session.sendJson<ErrorBody>(route.method, route.path(), route.body(bad));
    expect(status).toBe(400);
    expect(body.error.code).toBe("invalid_input");
    expect(body.error.message).toBe(
      `The field “${route.field(bad)}” contains a character that is not allowed (${words}).`,
    );
  });

  it("a body that is not UTF-8 gets a 400, not U+FFFD in the database", async () => {
    const session = await as(iris);
    const bytes = Buffer.concat([Buffer.from('{"title":"Caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
    const response = await fetch(new URL("/api/seminars", app.url), {
      method: "POST",
      headers: { cookie: session.cookieHeader, origin: app.url, "content-type": "application/json" },
      body: bytes,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: "invalid_input", message: "The request body is not valid UTF-8." },
    });
  });

  it("changed nothing saved", async () => {
    expect(await savedState()).toEqual(before);
  });

  it("still takes the same requests with clean text", async () => {
    const session = await as(iris);
    const created = await session.sendJson("POST", "/api/seminars", { title: "Café 📝 — clean" });
    expect(created.status).toBe(201);
    const edited = await session.sendJson("PATCH", `/api/comments/${commentId}`, {
      body: textToCommentBody("Tabs\tand 📝 are fine."),
    });
    expect(edited.status).toBe(200);
  });
});

describe("refused characters in addresses", () => {
  it.each([
    ["a NUL", "%00", "contains a character that is not allowed (U+0000, a null character)."],
    ["a lone surrogate", "%ED%A0%80", "is not valid UTF-8."],
    ["bytes that are not UTF-8", "%FF", "is not valid UTF-8."],
    ["U+FFFF", "%EF%BF%BF", "contains a character that is not allowed (U+FFFF, a Unicode noncharacter)."],
  ])("a review search with %s gets a 400 naming the parameter", async (_name, encoded, words) => {
    const session = await as(iris);
    const response = await session.request("GET", `${readingPath()}/review?q=Rivera${encoded}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: "invalid_input", message: `The query parameter “q” ${words}` },
    });
  });

  it.each([
    ["an API route parameter", () => `/api/seminars/${seminar.id}%00`, true],
    ["an export query", () => `${readingPath()}/export?format=csv&participantId=${sol.id}%00`, true],
    ["a join page", () => `/join/${seminar.inviteCode}%00`, false],
    ["a reading page", () => `/seminars/${seminar.id}/readings/${seminar.documentId}%00`, false],
    [
      "a review page search",
      () => `/seminars/${seminar.id}/readings/${seminar.documentId}/review?q=a%00`,
      false,
    ],
    ["a sign-in page callback", () => `/signin?callbackUrl=%2Fseminars%00`, false],
  ])("%s with a NUL gets a 400, not a 500", async (_name, path, isApi) => {
    const session = await as(iris);
    const response = await session.request("GET", path());
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toMatch(/contains a character that is not allowed \(U\+0000, a null character\)\./);
    if (isApi) expect((JSON.parse(text) as ErrorBody).error.code).toBe("invalid_input");
  });

  it("a mutation with a NUL in its route parameter gets a 400 and changes nothing", async () => {
    const session = await as(iris);
    const { status } = await session.sendJson(
      "PATCH",
      `/api/seminars/${seminar.id}/categories/${categoryId}%00`,
      {
        name: "Renamed",
      },
    );
    expect(status).toBe(400);
    expect((await db.category.findUniqueOrThrow({ where: { id: categoryId } })).name).not.toBe("Renamed");
  });
});

describe("refused characters when signing in", () => {
  // A form can carry no lone surrogate: the browser (and URLSearchParams)
  // encode one as U+FFFD, which is a valid character.
  const FORM_BAD = BAD.filter(([name]) => !name.includes("surrogate"));

  it.each(FORM_BAD)("an email with %s is refused with a message, not a 500", async (_name, bad, words) => {
    const session = new HttpSession(app.url);
    const error = await session.signIn(`${bad}${sol.email}`, TEST_PASSWORD);
    expect(error).toBe(`Email contains a character that is not allowed (${words}).`);
    expect(await session.sessionUser()).toBeNull();
  });

  it("a password with a NUL is refused with a message, not a 500", async () => {
    const session = new HttpSession(app.url);
    const error = await session.signIn(sol.email, `${TEST_PASSWORD}\u0000`);
    expect(error).toBe("Password contains a character that is not allowed (U+0000, a null character).");
    expect(await session.sessionUser()).toBeNull();
  });
});
