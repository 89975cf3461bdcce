/**
 * #tags (docs/adr/0021-tags.md) through the real app: tag nodes in comments are
 * stored in Comment.tags with the body, edits rewrite them, a bad tag is a 400
 * that saves nothing; the seminar's tags and the review page's tag filter show
 * only what the viewer may see (hidden comments, the post-first gate); every
 * export carries them.
 */
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { renderCsv } from "../../lib/server/exports/csv";
import { noteHtml } from "../../lib/server/exports/html/notes";
import { renderJsonLd } from "../../lib/server/exports/jsonld";
import { loadExportData } from "../../lib/server/exports/load-export-data";
import { renderMarkdown } from "../../lib/server/exports/markdown";
import { applyStoredRoom, loadRoom } from "../../lib/server/realtime/update-log";
import { updateReading } from "../../lib/server/seminars/update-reading";
import { findSeminarTags } from "../../lib/server/tags/find-seminar-tags";
import type { StoredAnchor } from "../../lib/shared/anchors/anchor";
import type { CommentBody } from "../../lib/shared/comments/comment-body";
import { TAG_MESSAGES } from "../../lib/shared/comments/tags";
import type { ReviewResult } from "../../lib/shared/review/review-types";
import { ROOT_TYPES, roomName } from "../../lib/shared/rooms";
import { anchorOn } from "../helpers/anchors";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { buildSeminar, buildUser } from "../helpers/factories";
import { signedInAs } from "../helpers/http-session";
import { decodedEntries } from "../helpers/room-entries";

type User = Awaited<ReturnType<typeof buildUser>>;
type ErrorBody = { error: { code: string; message: string } };

let app: AppServer;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let ada: User;
let ben: User;
let outsider: User;
let anchor: StoredAnchor;

beforeAll(async () => {
  ada = await buildUser({ name: "Ada Author" });
  ben = await buildUser({ name: "Ben Reader" });
  outsider = await buildUser({ name: "Out Sider" });
  seminar = await buildSeminar({ students: [ada, ben] });
  await buildSeminar({ instructor: outsider });
  anchor = await anchorOn(seminar.documentId as string, "the savage, the exotic Mexico");
  app = await startAppServer();
  // Run alone, the file builds the app first (minutes on a loaded machine).
}, 900_000);
afterAll(async () => {
  await app?.stop();
});

const as = signedInAs(() => app.url);
let counter = 0;
const id = () => `g${Date.now().toString(36)}${(counter++).toString(36).padStart(10, "0")}`;
const base = () => `/api/seminars/${seminar.id}/documents/${seminar.documentId}`;

/** A one-paragraph body: strings are text, `#name` strings are tag nodes. */
function tagged(...parts: string[]): CommentBody {
  return {
    type: "doc",
    content: [
      {
        type: "paragraph",
        content: parts.map((part) =>
          part.startsWith("#")
            ? { type: "tag", attrs: { name: part.slice(1) } }
            : { type: "text", text: part },
        ),
      },
    ],
  };
}

async function startThread(user: { email: string }, body: CommentBody) {
  const annotationId = id();
  const commentId = id();
  const response = await (
    await as(user)
  ).sendJson<ErrorBody>("POST", `${base()}/annotations`, {
    id: annotationId,
    kind: "COMMENT",
    anchor,
    body,
    commentId,
  });
  return { annotationId, commentId, response };
}

async function roomComments(): Promise<Record<string, { body: unknown }>> {
  const doc = new Y.Doc();
  try {
    applyStoredRoom(
      doc,
      await loadRoom(
        roomName({ kind: "seminar", seminarId: seminar.id, documentId: seminar.documentId as string }),
      ),
    );
    return decodedEntries(doc.getMap(ROOT_TYPES.comments));
  } finally {
    doc.destroy();
  }
}

async function reviewTagged(user: { email: string }, tag: string) {
  return (await as(user)).getJson<ReviewResult & ErrorBody>(
    `${base()}/review?tag=${encodeURIComponent(tag)}`,
  );
}

let adaThread: { annotationId: string; commentId: string };
let benReply: string;

describe("tags in comments", () => {
  it("are stored with the body in their lower-case form, once each, and reach the room as tag nodes", async () => {
    // " , again": the space the composer's tag picker puts after a tag, then a comma. The body
    // keeps it; its plain text (and every renderer) reads "#asylum, again".
    const { annotationId, commentId, response } = await startThread(
      ada,
      tagged("On ", "#Exile", " and ", "#asylum", " , again ", "#exile"),
    );
    expect(response.status).toBe(201);
    adaThread = { annotationId, commentId };
    const row = await db.comment.findUniqueOrThrow({ where: { id: commentId } });
    expect(row.tags).toEqual(["exile", "asylum"]);
    expect(row.bodyText).toBe("On #exile and #asylum, again #exile");
    expect((await roomComments())[commentId]?.body).toEqual(
      tagged("On ", "#exile", " and ", "#asylum", " , again ", "#exile"),
    );
  });

  it("in a reply, and an edit rewrites them", async () => {
    benReply = id();
    const asBen = await as(ben);
    const created = await asBen.sendJson("POST", `/api/annotations/${adaThread.annotationId}/comments`, {
      id: benReply,
      body: tagged("Not only ", "#exile", " but ", "#hospitality"),
    });
    expect(created.status).toBe(201);
    expect((await db.comment.findUniqueOrThrow({ where: { id: benReply } })).tags).toEqual([
      "exile",
      "hospitality",
    ]);
    const edited = await asBen.sendJson("PATCH", `/api/comments/${benReply}`, {
      body: tagged("Rather ", "#Hospitality", " and ", "#Law"),
    });
    expect(edited.status).toBe(200);
    expect((await db.comment.findUniqueOrThrow({ where: { id: benReply } })).tags).toEqual([
      "hospitality",
      "law",
    ]);
  });

  it.each<[string, unknown]>([
    ["a space in a tag", { type: "tag", attrs: { name: "close reading" } }],
    ["markup in a tag", { type: "tag", attrs: { name: "<script>alert(1)</script>" } }],
    ["a tag of digits only", { type: "tag", attrs: { name: "1936" } }],
    ["a tag too long", { type: "tag", attrs: { name: "x".repeat(41) } }],
    ["a tag without a name", { type: "tag" }],
  ])("refuses %s with 400 and a message, and saves nothing", async (_, node) => {
    const body = {
      type: "doc",
      content: [{ type: "paragraph", content: [{ type: "text", text: "x " }, node] }],
    };
    const { annotationId, response } = await startThread(ada, body as CommentBody);
    expect(response.status).toBe(400);
    // The message says the rule; `details.at` points at the tag.
    expect(response.body.error).toEqual({
      code: "invalid_input",
      message: TAG_MESSAGES.invalid,
      details: { at: "/content/0/content/1" },
    });
    expect(await db.annotation.findUnique({ where: { id: annotationId } })).toBeNull();

    const edit = await (await as(ben)).sendJson<ErrorBody>("PATCH", `/api/comments/${benReply}`, { body });
    expect(edit.status).toBe(400);
    expect(edit.body.error.message).toBe(TAG_MESSAGES.invalid);
    expect((await db.comment.findUniqueOrThrow({ where: { id: benReply } })).tags).toEqual([
      "hospitality",
      "law",
    ]);
  });

  it("refuses more than 20 different tags in one comment", async () => {
    const many = Array.from({ length: 21 }, (_, i) => `#t${i}`);
    const { response } = await startThread(ada, tagged("x ", ...many));
    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe(TAG_MESSAGES.tooMany);
  });
});

describe("the seminar's tags", () => {
  it("are listed for members, most used first, and for nobody else", async () => {
    const list = await (
      await as(ben)
    ).getJson<{ tags: { name: string; count: number }[] }>(`/api/seminars/${seminar.id}/tags`);
    expect(list.status).toBe(200);
    expect(list.body.tags).toEqual([
      { name: "asylum", count: 1 },
      { name: "exile", count: 1 },
      { name: "hospitality", count: 1 },
      { name: "law", count: 1 },
    ]);
    const narrowed = await (
      await as(ben)
    ).getJson<{ tags: unknown[] }>(`/api/seminars/${seminar.id}/tags?documentId=${seminar.documentId}`);
    expect(narrowed.body.tags).toHaveLength(4);
    expect((await (await as(outsider)).getJson(`/api/seminars/${seminar.id}/tags`)).status).toBe(404);
    expect(
      (await (await as(ben)).getJson(`/api/seminars/${seminar.id}/tags?documentId=not%20an%20id`)).status,
    ).toBe(400);
  });

  it("filter the review page on the server, any case, and a bad tag is a 400", async () => {
    await startThread(ben, tagged("Untagged thoughts"));
    const exile = await reviewTagged(ben, "#Exile");
    expect(exile.status).toBe(200);
    expect(exile.body.query.tag).toBe("exile");
    expect(exile.body.threads.map((thread) => thread.id)).toEqual([adaThread.annotationId]);
    expect(exile.body.options.tags).toEqual(["asylum", "exile", "hospitality", "law"]);
    // Ben's reply carries #law: the thread is found by a reply's tag too.
    expect((await reviewTagged(ada, "law")).body.threads.map((thread) => thread.id)).toEqual([
      adaThread.annotationId,
    ]);
    expect((await reviewTagged(ada, "nobody-used-this")).body.threads).toEqual([]);
    const bad = await reviewTagged(ada, "not a tag");
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(TAG_MESSAGES.invalid);
  });

  it("leave out a hidden comment's tags, in the list and in the filter", async () => {
    const { commentId, annotationId } = await startThread(ben, tagged("Soon hidden ", "#secret-tag"));
    expect((await reviewTagged(ada, "secret-tag")).body.threads.map((t) => t.id)).toEqual([annotationId]);
    const hide = await (
      await as(seminar.instructor)
    ).sendJson("PATCH", `/api/comments/${commentId}`, {
      hidden: true,
    });
    expect(hide.status).toBe(200);
    const names = (await findSeminarTags({ userId: ada.id }, seminar.id)).map((tag) => tag.name);
    expect(names).not.toContain("secret-tag");
    expect((await reviewTagged(ada, "secret-tag")).body.threads).toEqual([]);
    expect((await reviewTagged(seminar.instructor, "secret-tag")).body.threads).toEqual([]);
  });

  it("before a student has posted first, are only instructors' and their own", async () => {
    const question = await startThread(seminar.instructor, tagged("What is owed? ", "#duty"));
    expect(question.response.status).toBe(201);
    const cal = await buildUser({ name: "Cal Newcomer" });
    await db.membership.create({ data: { userId: cal.id, seminarId: seminar.id, role: "STUDENT" } });
    const reading = await db.reading.findFirstOrThrow({ where: { seminarId: seminar.id } });
    await updateReading({ userId: seminar.instructor.id }, seminar.id, reading.id, { postFirstCount: 1 });

    const before = await (
      await as(cal)
    ).getJson<{ tags: { name: string }[] }>(`/api/seminars/${seminar.id}/tags`);
    expect(before.body.tags.map((tag) => tag.name)).toEqual(["duty"]);
    const review = await reviewTagged(cal, "exile");
    expect(review.status).toBe(200);
    expect(review.body.threads).toEqual([]);
    expect(review.body.options.tags).toEqual(["duty", "exile"]);
    // Ben's #law reply in the instructor's thread stays out too.
    const reply = await (
      await as(ben)
    ).sendJson("POST", `/api/annotations/${question.annotationId}/comments`, {
      id: id(),
      body: tagged("Perhaps ", "#law"),
    });
    expect(reply.status).toBe(201);
    expect((await reviewTagged(cal, "law")).body.threads).toEqual([]);
    expect((await reviewTagged(cal, "duty")).body.threads.map((t) => t.id)).toEqual([question.annotationId]);

    // Once Cal has posted, everyone's visible tags are theirs to see.
    expect((await startThread(cal, tagged("My own ", "#first-post"))).response.status).toBe(201);
    const after = (await findSeminarTags({ userId: cal.id }, seminar.id)).map((tag) => tag.name);
    expect(after).toEqual(expect.arrayContaining(["duty", "exile", "law", "first-post", "asylum"]));
    expect((await reviewTagged(cal, "exile")).body.threads.map((t) => t.id)).toEqual([
      adaThread.annotationId,
    ]);
    await updateReading({ userId: seminar.instructor.id }, seminar.id, reading.id, { postFirstCount: null });
  });
});

describe("tags in exports", () => {
  it("are a CSV column, tagging bodies in JSON-LD, and #tags in Markdown and HTML; a hidden comment's are left out of a student's copy", async () => {
    // A student's copy: an instructor's shows hidden comments' words, marked (tests/api/export.test.ts).
    const data = await loadExportData({ userId: ada.id }, seminar.id, seminar.documentId as string, {
      layers: "seminar",
    });
    // Every field is quoted and none of these holds a line break: split on the quotes.
    const fields = (line: string) =>
      [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((match) => (match[1] ?? "").replace(/""/g, '"'));
    const csv = renderCsv(data).split("\r\n");
    const header = fields(csv[0]!);
    const cell = (commentId: string) =>
      fields(csv.find((line) => line.includes(commentId))!)[header.indexOf("tags")];
    expect(cell(adaThread.commentId)).toBe("#exile #asylum");
    expect(cell(benReply)).toBe("#hospitality #law");
    expect(renderCsv(data)).not.toContain("#secret-tag");

    type Body = { type: string; value?: string; purpose?: string };
    const jsonld = JSON.parse(renderJsonLd(data, "https://marginalia.test")) as {
      first: { items: { id: string; body?: Body | Body[] }[] };
    };
    const bodiesOf = (suffix: string) => {
      const body = jsonld.first.items.find((item) => item.id.endsWith(suffix))?.body;
      return Array.isArray(body) ? body : body ? [body] : [];
    };
    const tagBodies = (suffix: string) =>
      bodiesOf(suffix).filter((body) => body.purpose === "tagging" && body.type === "TextualBody");
    expect(tagBodies(adaThread.annotationId)).toEqual([
      { type: "TextualBody", value: "exile", format: "text/plain", language: "en", purpose: "tagging" },
      { type: "TextualBody", value: "asylum", format: "text/plain", language: "en", purpose: "tagging" },
    ]);
    expect(tagBodies(benReply).map((body) => body.value)).toEqual(["hospitality", "law"]);
    expect(JSON.stringify(jsonld)).not.toContain("secret-tag");

    const markdown = renderMarkdown(data, "https://marginalia.test");
    expect(markdown).toContain("On `#exile` and `#asylum`, again `#exile`");
    expect(markdown).not.toContain("secret-tag");

    const thread = data.threads.find((entry) => entry.id === adaThread.annotationId)!;
    expect(noteHtml(thread, { where: "margin" })).toContain('<span class="tag">#exile</span>');
    expect(noteHtml(thread, { where: "margin" })).toContain('<span class="tag">#asylum</span>, again');
  });
});
