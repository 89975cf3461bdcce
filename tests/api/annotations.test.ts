import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { applyStoredRoom, loadRoom } from "../../lib/server/realtime/update-log";
import type { StoredAnchor } from "../../lib/shared/anchors/anchor";
import { textToCommentBody } from "../../lib/shared/comments/comment-body";
import { ROOT_TYPES, roomName } from "../../lib/shared/rooms";
import { anchorOn } from "../helpers/anchors";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { buildSeminar, buildUser } from "../helpers/factories";
import { signedInAs } from "../helpers/http-session";
import { decodedEntries } from "../helpers/room-entries";

let app: AppServer;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let student: Awaited<ReturnType<typeof buildUser>>;
let otherStudent: Awaited<ReturnType<typeof buildUser>>;
let outsider: Awaited<ReturnType<typeof buildUser>>;
let anchor: StoredAnchor;

beforeAll(async () => {
  student = await buildUser({ name: "Sol Student" });
  otherStudent = await buildUser({ name: "Ona Other" });
  outsider = await buildUser({ name: "Out Sider" });
  seminar = await buildSeminar({ students: [student, otherStudent] });
  await buildSeminar({ instructor: outsider });
  anchor = await anchorOn(seminar.documentId as string, "the savage, the exotic Mexico");
  app = await startAppServer();
});
afterAll(async () => {
  await app?.stop();
});

const as = signedInAs(() => app.url);

let counter = 0;
const id = () => `t${Date.now().toString(36)}${(counter++).toString(36).padStart(10, "0")}`;
const body = (text: string) => textToCommentBody(text);
type ErrorBody = { error: { code: string; message: string } };

/** What the seminar room holds now (as any collab process would load it). */
async function room() {
  const doc = new Y.Doc();
  applyStoredRoom(
    doc,
    await loadRoom(
      roomName({ kind: "seminar", seminarId: seminar.id, documentId: seminar.documentId as string }),
    ),
  );
  const result = {
    annotations: decodedEntries(doc.getMap(ROOT_TYPES.annotations)),
    comments: decodedEntries(doc.getMap(ROOT_TYPES.comments)),
    categories: doc.getMap(ROOT_TYPES.categories).toJSON() as Record<string, Record<string, unknown>>,
  };
  doc.destroy();
  return result;
}

/** A comment of a thread as a member loads it: `GET /api/annotations/:id/thread`. */
async function threadComment(thread: string, commentId: string) {
  const { status, body } = await (
    await as(otherStudent)
  ).getJson<{ comments: Record<string, unknown>[] }>(`/api/annotations/${thread}/thread`);
  expect(status).toBe(200);
  return body.comments.find((comment) => comment.id === commentId);
}

function createPath() {
  return `/api/seminars/${seminar.id}/documents/${seminar.documentId}/annotations`;
}

async function create(user: { email: string }, input: Record<string, unknown>) {
  return (await as(user)).sendJson<{ id: string; created: boolean } & ErrorBody>("POST", createPath(), input);
}

describe("creating annotations", () => {
  it("a student highlights in a category: the row and the seminar room are written together", async () => {
    const category = await db.category.findFirstOrThrow({
      where: { seminarId: seminar.id, name: "Evidence" },
    });
    const highlight = id();
    const response = await create(student, {
      id: highlight,
      kind: "HIGHLIGHT",
      categoryId: category.id,
      anchor,
    });
    expect(response).toEqual({ status: 201, body: { id: highlight, created: true } });
    const row = await db.annotation.findUniqueOrThrow({ where: { id: highlight } });
    expect(row).toMatchObject({
      kind: "HIGHLIGHT",
      authorId: student.id,
      categoryId: category.id,
      quoteExact: "the savage, the exotic Mexico",
    });
    const state = await room();
    expect(state.annotations[highlight]).toMatchObject({
      kind: "HIGHLIGHT",
      authorName: "Sol Student",
      authorRole: "STUDENT",
      categoryId: category.id,
      anchor,
    });
    // The room got the seminar's categories with its first write.
    expect(Object.values(state.categories).map((c) => c.name)).toEqual(
      expect.arrayContaining(["Key claim", "Evidence", "Question", "Context"]),
    );
  });

  it("retrying the same request creates nothing twice", async () => {
    const input = { id: id(), kind: "HIGHLIGHT", anchor };
    expect((await create(student, input)).status).toBe(201);
    expect((await create(student, input)).body).toEqual({ id: input.id, created: false });
    expect(await db.annotation.count({ where: { id: input.id } })).toBe(1);
  });

  it("a comment thread carries its first comment, sanitized", async () => {
    const thread = id();
    const comment = id();
    const response = await create(student, {
      id: thread,
      kind: "COMMENT",
      anchor,
      body: body("Why *Mexico*?"),
      commentId: comment,
    });
    expect(response.status).toBe(201);
    const state = await room();
    expect(state.comments[comment]).toMatchObject({
      annotationId: thread,
      authorName: "Sol Student",
      body: body("Why *Mexico*?"),
    });
    expect((await db.comment.findUniqueOrThrow({ where: { id: comment } })).bodyText).toBe("Why *Mexico*?");
  });

  it.each([
    ["a comment without words", { kind: "COMMENT" }, 400, "Write something first."],
    [
      "a javascript: link",
      {
        kind: "COMMENT",
        body: {
          type: "doc",
          content: [
            {
              type: "paragraph",
              content: [
                {
                  type: "text",
                  text: "x",
                  marks: [{ type: "link", attrs: { href: "javascript:alert(1)" } }],
                },
              ],
            },
          ],
        },
      },
      400,
      "Links must start with http://, https:// or mailto:.",
    ],
    ["an unknown kind", { kind: "SHOUT" }, 400, ""],
    [
      "a malformed anchor",
      {
        kind: "HIGHLIGHT",
        anchor: { start: "!!", end: "??", quote: { exact: "" }, position: { start: 5, end: 1 } },
      },
      400,
      "",
    ],
    ["a bad id", { kind: "HIGHLIGHT", id: "NOT VALID" }, 400, "Not a valid id."],
  ])("refuses %s", async (_name, patch, status, message) => {
    const response = await create(student, { id: id(), anchor, ...patch });
    expect(response.status).toBe(status);
    expect(response.body.error.message).toContain(message);
  });

  it("a student may not ask a guiding question; an instructor may, and pins it", async () => {
    const refused = await create(student, { id: id(), kind: "GUIDING_QUESTION", anchor, body: body("Why?") });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe("Only instructors can ask guiding questions.");

    const question = id();
    expect(
      (
        await create(seminar.instructor, {
          id: question,
          kind: "GUIDING_QUESTION",
          anchor,
          body: body("What is sovereignty here?"),
        })
      ).status,
    ).toBe(201);
    const instructor = await as(seminar.instructor);
    expect(
      (await instructor.sendJson("PATCH", `/api/annotations/${question}`, { pinned: true })).status,
    ).toBe(200);
    expect((await room()).annotations[question]).toMatchObject({ pinned: true, authorRole: "INSTRUCTOR" });
    const studentPin = await (
      await as(student)
    ).sendJson<ErrorBody>("PATCH", `/api/annotations/${question}`, { pinned: false });
    expect(studentPin.status).toBe(403);
  });

  it("stores the text's words as the quote, whatever quote the browser sends", async () => {
    const FAKE = "Trotsky admired the savage Mexico";
    const forged = {
      ...anchor,
      quote: { exact: FAKE, prefix: "As everyone knows, ", suffix: " — a fact." },
      position: { start: 1, end: 2 },
    };
    const thread = id();
    const response = await create(student, {
      id: thread,
      kind: "COMMENT",
      anchor: forged,
      body: body("Look at this."),
    });
    expect(response.status).toBe(201);
    const row = await db.annotation.findUniqueOrThrow({ where: { id: thread } });
    expect(row).toMatchObject({
      quoteExact: anchor.quote.exact,
      quotePrefix: anchor.quote.prefix,
      quoteSuffix: anchor.quote.suffix,
      positionStart: anchor.position.start,
      positionEnd: anchor.position.end,
    });
    expect((await room()).annotations[thread]).toMatchObject({ anchor });
    // What others see: the review page's data and the exports.
    const reviewer = await as(otherStudent);
    const base = `/api/seminars/${seminar.id}/documents/${seminar.documentId}`;
    const review = await reviewer.getJson<{ threads: { id: string; quote: string }[] }>(`${base}/review`);
    expect(review.body.threads.find((t) => t.id === thread)?.quote).toBe(anchor.quote.exact);
    for (const format of ["csv", "md", "html", "jsonld"]) {
      const file = await reviewer.request("GET", `${base}/export?format=${format}`);
      expect(file.status).toBe(200);
      const text = await file.text();
      expect(text).toContain("Look at this.");
      expect(text).not.toContain(FAKE);
      expect(text).not.toContain("As everyone knows");
    }
  });

  it("refuses with 400 an anchor whose positions are not in the text, and stores nothing", async () => {
    // A relative position on an item no client of the text room ever made.
    const madeUp = Buffer.from(
      Y.encodeRelativePosition(
        Y.createRelativePositionFromJSON({ item: { client: 4242, clock: 7 }, assoc: 0 }),
      ),
    ).toString("base64");
    for (const forged of [
      { ...anchor, start: madeUp },
      { ...anchor, end: madeUp },
      { ...anchor, start: anchor.end, end: anchor.start },
    ]) {
      const thread = id();
      const response = await create(student, { id: thread, kind: "HIGHLIGHT", anchor: forged });
      expect(response.status).toBe(400);
      expect(response.body.error).toEqual({
        code: "invalid_input",
        message: "That passage is not in the current text; select it again.",
      });
      expect(await db.annotation.findUnique({ where: { id: thread } })).toBeNull();
      expect((await room()).annotations[thread]).toBeUndefined();
    }
  });

  it("someone outside the seminar gets 404 and nothing is written", async () => {
    const thread = id();
    const response = await create(outsider, { id: thread, kind: "HIGHLIGHT", anchor });
    expect(response.status).toBe(404);
    expect(await db.annotation.findUnique({ where: { id: thread } })).toBeNull();
  });
});

describe("threads", () => {
  it("replies, edits (marked edited), deletes (keeping its place), resolves and reopens", async () => {
    const thread = id();
    await create(student, { id: thread, kind: "COMMENT", anchor, body: body("First") });
    const reply = id();
    const other = await as(otherStudent);
    expect(
      (
        await other.sendJson("POST", `/api/annotations/${thread}/comments`, {
          id: reply,
          body: body("A reply"),
        })
      ).status,
    ).toBe(201);

    expect(
      (await other.sendJson("PATCH", `/api/comments/${reply}`, { body: body("A better reply") })).status,
    ).toBe(200);
    // The room carries a thread's first comment and a count; a reply comes with the
    // thread's body over the API (docs/adr/0027).
    const state = await room();
    expect(state.comments[reply]).toBeUndefined();
    expect(state.annotations[thread]).toMatchObject({ thread: { commentCount: 2 } });
    let received = await threadComment(thread, reply);
    expect(received).toMatchObject({ body: body("A better reply") });
    expect(received?.editedAt).not.toBeNull();

    // Only its author edits a comment.
    const hijack = await (
      await as(student)
    ).sendJson<ErrorBody>("PATCH", `/api/comments/${reply}`, { body: body("Not mine") });
    expect(hijack.status).toBe(403);

    expect((await other.sendJson("DELETE", `/api/comments/${reply}`)).status).toBe(200);
    received = await threadComment(thread, reply);
    expect(received).toMatchObject({ body: null });
    expect(received?.deletedAt).not.toBeNull();

    // The thread's author resolves and reopens; another student may not.
    expect(
      (await other.sendJson<ErrorBody>("PATCH", `/api/annotations/${thread}`, { resolved: true })).status,
    ).toBe(403);
    const author = await as(student);
    expect((await author.sendJson("PATCH", `/api/annotations/${thread}`, { resolved: true })).status).toBe(
      200,
    );
    expect((await room()).annotations[thread]).toMatchObject({ resolvedByName: "Sol Student" });
    expect((await author.sendJson("PATCH", `/api/annotations/${thread}`, { resolved: false })).status).toBe(
      200,
    );
    expect((await room()).annotations[thread]).toMatchObject({ resolvedAt: null });
  });

  it("instructors hide and delete anyone's comment; the words leave the room but stay in the database", async () => {
    const thread = id();
    const comment = id();
    await create(student, {
      id: thread,
      kind: "COMMENT",
      anchor,
      body: body("Something rude"),
      commentId: comment,
    });
    const instructor = await as(seminar.instructor);
    expect((await instructor.sendJson("PATCH", `/api/comments/${comment}`, { hidden: true })).status).toBe(
      200,
    );
    expect((await room()).comments[comment]).toMatchObject({ body: null });
    expect(JSON.stringify(await room())).not.toContain("Something rude");
    expect((await db.comment.findUniqueOrThrow({ where: { id: comment } })).bodyText).toBe("Something rude");
    const studentHide = await (
      await as(otherStudent)
    ).sendJson<ErrorBody>("PATCH", `/api/comments/${comment}`, { hidden: false });
    expect(studentHide.status).toBe(403);
    expect((await instructor.sendJson("DELETE", `/api/annotations/${thread}`)).status).toBe(200);
    expect((await room()).annotations[thread]).toBeUndefined();
  });

  it("a student cannot delete another's highlight", async () => {
    const highlight = id();
    await create(student, { id: highlight, kind: "HIGHLIGHT", anchor });
    const response = await (
      await as(otherStudent)
    ).sendJson<ErrorBody>("DELETE", `/api/annotations/${highlight}`);
    expect(response.status).toBe(403);
    expect((await room()).annotations[highlight]).toBeDefined();
  });

  it.each([
    [
      "reply",
      "POST",
      (a: string) => `/api/annotations/${a}/comments`,
      {
        id: "x0000000000000000001",
        body: { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "hi" }] }] },
      },
    ],
    ["resolve", "PATCH", (a: string) => `/api/annotations/${a}`, { resolved: true }],
    ["delete", "DELETE", (a: string) => `/api/annotations/${a}`, undefined],
  ])("an outsider's %s gets 404", async (_name, method, path, json) => {
    const thread = id();
    await create(student, { id: thread, kind: "COMMENT", anchor, body: body("Members only") });
    const response = await (
      await as(outsider)
    ).request(method, path(thread), json === undefined ? {} : { json });
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("Members only");
  });
});

describe("categories", () => {
  it("instructors add, rename, recolour and remove categories, in every reading's room; students may not", async () => {
    const instructor = await as(seminar.instructor);
    const created = await instructor.sendJson<{ category: { id: string } }>(
      "POST",
      `/api/seminars/${seminar.id}/categories`,
      {
        name: "Irony",
        color: "#C9B6F2",
      },
    );
    expect(created.status).toBe(201);
    const categoryId = created.body.category.id;
    expect((await room()).categories[categoryId]).toMatchObject({ name: "Irony", color: "#c9b6f2" });
    expect(
      (
        await instructor.sendJson("PATCH", `/api/seminars/${seminar.id}/categories/${categoryId}`, {
          name: "Understatement",
        })
      ).status,
    ).toBe(200);
    expect((await room()).categories[categoryId]).toMatchObject({ name: "Understatement" });
    const refused = await (
      await as(student)
    ).sendJson<ErrorBody>("POST", `/api/seminars/${seminar.id}/categories`, {
      name: "Mine",
      color: "#000000",
    });
    expect(refused.status).toBe(403);
    expect(
      (
        await instructor.sendJson<ErrorBody>("POST", `/api/seminars/${seminar.id}/categories`, {
          name: "Bad",
          color: "red",
        })
      ).status,
    ).toBe(400);
    expect(
      (await instructor.sendJson("DELETE", `/api/seminars/${seminar.id}/categories/${categoryId}`)).status,
    ).toBe(200);
    expect((await room()).categories[categoryId]).toBeUndefined();
  });
});
