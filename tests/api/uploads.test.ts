import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { MAX_UPLOAD_BYTES } from "../../lib/shared/validation/uploads";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { anchorOn } from "../helpers/anchors";
import { buildSeminar, buildUser } from "../helpers/factories";
import { signedInAs, type HttpSession } from "../helpers/http-session";

type BuiltUser = Awaited<ReturnType<typeof buildUser>>;
type ErrorBody = { error: { code: string; message: string } };

let app: AppServer;
let instructor: BuiltUser;
let student: BuiltUser;
let outsider: BuiltUser;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;

const ESSAY = [
  "On Reading Slowly",
  "",
  "The Seminar Quarterly, No. 3, 2026",
  "",
  "Ada Reader",
  "",
  "The first paragraph says that slow reading is a kind of attention.",
  "",
  "The second paragraph argues that margins are where readers think aloud together.",
  "",
  "The third paragraph will be rewritten entirely in the next version of this text.",
  "",
].join("\n");

beforeAll(async () => {
  instructor = await buildUser({ name: "Ingrid Instructor" });
  student = await buildUser({ name: "Stan Student" });
  outsider = await buildUser({ name: "Otto Outsider" });
  seminar = await buildSeminar({ instructor, students: [student], withEssay: false });
  app = await startAppServer();
});
afterAll(async () => {
  await app?.stop();
});

const as = signedInAs(() => app.url);
const FIXTURES = path.join(process.cwd(), "tests", "fixtures", "uploads");
const fixture = (name: string) => new Uint8Array(readFileSync(path.join(FIXTURES, name)));
const encode = (text: string) => new TextEncoder().encode(text);

async function upload(session: HttpSession, bytes: Uint8Array<ArrayBuffer>, name: string, query = "") {
  const response = await session.request("POST", `/api/uploads?name=${encodeURIComponent(name)}${query}`, {
    body: bytes,
    headers: { "content-type": "application/octet-stream" },
  });
  return { status: response.status, body: (await response.json()) as { upload: { id: string } } & ErrorBody };
}

type Preview = {
  upload: {
    metadata: { title: string; byline: string; source: string; date: string | null };
    found: { notes: number };
    content: { content: { type: string; content?: { text: string }[] }[] };
  };
};

async function publishedEssay(owner: BuiltUser, seminarId: string | null) {
  const session = await as(owner);
  const created = await upload(session, encode(ESSAY), "slowly.txt");
  expect(created.status).toBe(201);
  const published = await session.sendJson<{
    document: { id: string; slug: string };
    reading: { id: string } | null;
  }>("POST", `/api/uploads/${created.body.upload.id}/publish`, { seminarId, instruction: "Read it twice." });
  expect(published.status).toBe(201);
  return published.body;
}

describe("uploading and previewing", () => {
  it("converts a text into a preview only its uploader sees", async () => {
    const session = await as(instructor);
    const created = await upload(session, encode(ESSAY), "slowly.txt");
    expect(created.status).toBe(201);
    const path = `/api/uploads/${created.body.upload.id}`;
    const preview = await session.getJson<Preview>(path);
    expect(preview.status).toBe(200);
    expect(preview.body.upload.metadata).toEqual({
      title: "On Reading Slowly",
      byline: "Ada Reader",
      source: "The Seminar Quarterly, No. 3, 2026",
      date: "2026",
    });
    for (const other of [student, outsider]) {
      const seen = await (await as(other)).request("GET", path);
      expect(seen.status).toBe(404);
      expect(await seen.text()).not.toContain("Slowly");
    }
    expect(await db.document.count({ where: { title: "On Reading Slowly" } })).toBe(0);
  });

  it("edits the metadata in the preview's text too, and refuses what no text may hold", async () => {
    const session = await as(instructor);
    const created = await upload(session, encode(ESSAY), "slowly.txt");
    const path = `/api/uploads/${created.body.upload.id}`;
    const edited = await session.sendJson<Preview>("PATCH", path, {
      title: "Reading Slowly",
      byline: "A. Reader",
    });
    expect(edited.status).toBe(200);
    expect(edited.body.upload.metadata.title).toBe("Reading Slowly");
    const [title, byline] = edited.body.upload.content.content;
    expect(title).toEqual({ type: "title", content: [{ type: "text", text: "Reading Slowly" }] });
    expect(byline).toEqual({ type: "byline", content: [{ type: "text", text: "A. Reader" }] });
    const refused = await session.sendJson<ErrorBody>("PATCH", path, { title: "A\u0000B" });
    expect(refused.status).toBe(400);
    const empty = await session.sendJson<ErrorBody>("PATCH", path, { title: "  " });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toContain("title");
    expect((await (await as(outsider)).sendJson("PATCH", path, { title: "Mine now" })).status).toBe(404);
  });

  it("discarding leaves nothing behind", async () => {
    const session = await as(instructor);
    const created = await upload(session, encode(ESSAY), "slowly.txt");
    const path = `/api/uploads/${created.body.upload.id}`;
    expect((await (await as(outsider)).request("DELETE", path)).status).toBe(404);
    expect((await session.request("DELETE", path)).status).toBe(200);
    expect((await session.request("GET", path)).status).toBe(404);
    expect(await db.upload.count({ where: { id: created.body.upload.id } })).toBe(0);
  });
});

describe("limits", () => {
  it("answers 413 to a body over 25 MiB announced by its length, before reading it", async () => {
    const response = await (
      await as(instructor)
    ).request("POST", "/api/uploads?name=big.txt", {
      body: new Uint8Array(MAX_UPLOAD_BYTES + 1),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as ErrorBody).error.message).toContain("25 MiB");
  });

  it("answers 413 to a body over 25 MiB sent without a length", async () => {
    let sent = 0;
    const chunk = new Uint8Array(1024 * 1024).fill(0x61);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > MAX_UPLOAD_BYTES) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const response = await (
      await as(instructor)
    ).request("POST", "/api/uploads?name=big.txt", { body: stream });
    expect(response.status).toBe(413);
  });

  it("answers 415 to a file that is no format it reads, and creates nothing", async () => {
    const before = await db.upload.count();
    const bytes = new Uint8Array([0x00, 0xff, 0xfe, 0x80, 0x81, 0x00, 0x13, 0x37, 0xc3, 0x28]);
    const refused = await upload(await as(instructor), bytes, "mystery.bin");
    expect(refused.status).toBe(415);
    expect(refused.body.error.message).toBeTruthy();
    expect(await db.upload.count()).toBe(before);
  });

  it("refuses a signed-out upload and one without a file name", async () => {
    const anonymous = app.url;
    const response = await fetch(`${anonymous}/api/uploads?name=a.txt`, {
      method: "POST",
      headers: { origin: anonymous },
      body: "text",
    });
    expect(response.status).toBe(401);
    expect((await upload(await as(instructor), encode(ESSAY), "")).status).toBe(400);
  });
});

describe("publishing and ownership", () => {
  it("publishes to a seminar: members read it, non-members get 404", async () => {
    const { document, reading } = await publishedEssay(instructor, seminar.id);
    expect(reading).not.toBeNull();
    const row = await db.document.findUniqueOrThrow({ where: { id: document.id } });
    expect(row).toMatchObject({ ownerId: instructor.id, isPublic: false, title: "On Reading Slowly" });
    const readingPage = `/seminars/${seminar.id}/readings/${document.id}`;
    expect((await (await as(student)).request("GET", readingPage)).status).toBe(200);
    expect((await (await as(outsider)).request("GET", readingPage)).status).toBe(404);
    expect((await (await as(outsider)).request("GET", `/texts/${document.slug}`)).status).toBe(404);
    expect((await (await as(instructor)).request("GET", `/texts/${document.slug}`)).status).toBe(200);
  });

  it("a student cannot publish to the seminar, and nothing is created", async () => {
    const session = await as(student);
    const created = await upload(session, encode(ESSAY), "slowly.txt");
    const refused = await session.sendJson<ErrorBody>(
      "POST",
      `/api/uploads/${created.body.upload.id}/publish`,
      {
        seminarId: seminar.id,
      },
    );
    expect(refused.status).toBe(403);
    const outsiderTry = await (
      await as(outsider)
    ).sendJson<ErrorBody>("POST", `/api/uploads/${created.body.upload.id}/publish`, { seminarId: null });
    expect(outsiderTry.status).toBe(404);
    expect(await db.document.count({ where: { ownerId: student.id } })).toBe(0);
  });

  it("assigning someone else's text makes a seminar copy owned by the assigner", async () => {
    const { document } = await publishedEssay(instructor, seminar.id);
    // The student teaches a seminar of their own and assigns the text they read in this one.
    const own = await buildSeminar({ instructor: student, withEssay: false });
    const assigned = await (
      await as(student)
    ).sendJson<{ reading: { documentId: string; copiedFrom: string } }>(
      "POST",
      `/api/seminars/${own.id}/readings`,
      { documentId: document.id },
    );
    expect(assigned.status).toBe(201);
    expect(assigned.body.reading.copiedFrom).toBe(document.id);
    const copy = await db.document.findUniqueOrThrow({ where: { id: assigned.body.reading.documentId } });
    expect(copy).toMatchObject({
      ownerId: student.id,
      copiedFromId: document.id,
      title: "On Reading Slowly",
    });
    expect(copy.id).not.toBe(document.id);
    const original = await db.document.findUniqueOrThrow({ where: { id: document.id } });
    expect(copy.plainText).toBe(original.plainText);
    // An outsider cannot assign it at all: they may not know it exists.
    const other = await buildSeminar({ instructor: outsider, withEssay: false });
    const refused = await (
      await as(outsider)
    ).sendJson("POST", `/api/seminars/${other.id}/readings`, {
      documentId: document.id,
    });
    expect(refused.status).toBe(404);
  });
});

describe("new versions", () => {
  it("says how many annotations move, re-anchor and detach, then does exactly that", async () => {
    const { document } = await publishedEssay(instructor, seminar.id);
    const annotate = async (phrase: string) => {
      const anchor = await anchorOn(document.id, phrase);
      const id = `v${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`;
      const response = await (
        await as(student)
      ).sendJson("POST", `/api/seminars/${seminar.id}/documents/${document.id}/annotations`, {
        id,
        kind: "HIGHLIGHT",
        anchor,
      });
      expect(response.status).toBe(201);
      return id;
    };
    const moving = await annotate("slow reading is a kind of attention");
    const reanchoring = await annotate("margins are where readers think aloud together");
    const detaching = await annotate("rewritten entirely in the next version");

    const next = ESSAY.replace(
      "margins are where readers think aloud together",
      "margins are where the readers think aloud together",
    ).replace(
      "The third paragraph will be rewritten entirely in the next version of this text.",
      "Something else stands here now.",
    );
    const session = await as(instructor);
    const created = await upload(session, encode(next), "slowly-2.txt", `&replaces=${document.id}`);
    expect(created.status).toBe(201);
    const versionPath = `/api/uploads/${created.body.upload.id}/version`;

    expect((await (await as(student)).request("GET", versionPath)).status).toBe(404);
    const plan = await session.getJson<{
      plan: { move: number; reanchor: number; detach: number; detached: { annotationId: string }[] };
    }>(versionPath);
    expect(plan.status).toBe(200);
    expect(plan.body.plan).toMatchObject({
      move: 1,
      reanchor: 1,
      detach: 1,
      detached: [{ annotationId: detaching }],
    });
    // The dry run changed nothing.
    expect((await db.annotation.findUniqueOrThrow({ where: { id: moving } })).documentId).toBe(document.id);

    const confirmed = await session.sendJson<{
      document: { id: string };
      move: number;
      reanchor: number;
      detach: number;
    }>("POST", versionPath);
    expect(confirmed.status).toBe(201);
    expect(confirmed.body).toMatchObject({ move: 1, reanchor: 1, detach: 1 });
    const newId = confirmed.body.document.id;
    expect(await db.document.findUniqueOrThrow({ where: { id: newId } })).toMatchObject({
      previousVersionId: document.id,
    });
    const rows = await db.annotation.findMany({ where: { id: { in: [moving, reanchoring, detaching] } } });
    // Every annotation went along; none was dropped.
    expect(rows.map((row) => row.documentId)).toEqual([newId, newId, newId]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get(reanchoring)?.quoteExact).toBe("margins are where the readers think aloud together");
    expect(byId.get(detaching)?.quoteExact).toBe("rewritten entirely in the next version");
    expect(await db.reading.count({ where: { seminarId: seminar.id, documentId: newId } })).toBe(1);
    expect(await db.reading.count({ where: { seminarId: seminar.id, documentId: document.id } })).toBe(0);
  });

  it("only the owner uploads a new version", async () => {
    const { document } = await publishedEssay(instructor, seminar.id);
    const refused = await upload(await as(student), encode(ESSAY), "mine.txt", `&replaces=${document.id}`);
    expect(refused.status).toBe(403);
    const hidden = await upload(await as(outsider), encode(ESSAY), "mine.txt", `&replaces=${document.id}`);
    expect(hidden.status).toBe(404);
  });
});

describe("scanned PDFs and progress", () => {
  it("refuses a scan before anything exists, then reads it with OCR while its progress can be polled", async () => {
    const session = await as(instructor);
    const before = await db.upload.count();
    const refused = await upload(session, fixture("scanned.pdf"), "scanned.pdf");
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ details: { reason: "scanned-pdf", ocrAvailable: true } });
    expect(await db.upload.count()).toBe(before);

    const job = `api-ocr-${Date.now().toString(36)}-progress`;
    const seen: number[] = [];
    let done = false;
    const polling = (async () => {
      while (!done) {
        const polled = await session.request("GET", `/api/uploads/jobs/${job}`);
        if (polled.status === 200)
          seen.push(((await polled.json()) as { progress: { fraction: number } }).progress.fraction);
        else expect(polled.status).toBe(404);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const created = await upload(session, fixture("scanned.pdf"), "scanned.pdf", `&ocr=1&job=${job}`);
    done = true;
    await polling;
    expect(created.status).toBe(201);
    // The recognition of the page takes seconds: the poll saw it under way, and never going back.
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((fraction, i) => i === 0 || fraction >= seen[i - 1]!)).toBe(true);
    expect(seen.every((fraction) => fraction >= 0 && fraction <= 1)).toBe(true);
    expect(Math.max(...seen)).toBeGreaterThan(0);
    // Ended: the progress row is gone, and nobody else could read it anyway.
    expect((await session.request("GET", `/api/uploads/jobs/${job}`)).status).toBe(404);
    expect((await (await as(outsider)).request("GET", `/api/uploads/jobs/${job}`)).status).toBe(404);
    expect((await session.request("GET", "/api/uploads/jobs/x")).status).toBe(400);

    const preview = await session.getJson<Preview>(`/api/uploads/${created.body.upload.id}`);
    expect(JSON.stringify(preview.body.upload.content)).toContain(
      "A seminar is a room where a text is read slowly",
    );
  }, 120_000);
});

describe("a book's chapters", () => {
  type Published = {
    texts: { document: { id: string; title: string }; reading: { id: string; seminarId: string } | null }[];
  };

  it("publishes one reading per chosen range of chapters, each converted from the kept file", async () => {
    const session = await as(instructor);
    const created = await upload(session, fixture("book.epub"), "book.epub");
    expect(created.status).toBe(201);
    const id = created.body.upload.id;
    const preview = await session.getJson<{ upload: { chapters: { title: string; index: number }[] } }>(
      `/api/uploads/${id}`,
    );
    expect(preview.body.upload.chapters.map((chapter) => chapter.title)).toEqual([
      "Title Page",
      "The Reader’s Pencil",
      "Reading in Company",
      "The Return to the Text",
    ]);
    expect((await db.upload.findUniqueOrThrow({ where: { id } })).original?.length).toBe(
      fixture("book.epub").length,
    );

    // Ranges the book does not have, or that run backwards, are refused and change nothing.
    const beyond = await session.sendJson<ErrorBody>("POST", `/api/uploads/${id}/publish`, {
      seminarId: seminar.id,
      chapterRanges: [{ first: 1, last: 4 }],
    });
    expect(beyond.status).toBe(400);
    expect(beyond.body.error.message).toBe("The book has 4 chapters; there is no chapter 5.");
    const backwards = await session.sendJson<ErrorBody>("POST", `/api/uploads/${id}/publish`, {
      seminarId: seminar.id,
      chapterRanges: [{ first: 3, last: 2 }],
    });
    expect(backwards.status).toBe(400);
    expect(await db.upload.count({ where: { id } })).toBe(1);

    const published = await session.sendJson<Published>("POST", `/api/uploads/${id}/publish`, {
      seminarId: seminar.id,
      instruction: "One chapter a week.",
      chapterRanges: [
        { first: 1, last: 1 },
        { first: 2, last: 3 },
      ],
    });
    expect(published.status).toBe(201);
    expect(published.body.texts.map((text) => text.document.title)).toEqual([
      "A Short Book of Margins: The Reader’s Pencil",
      "A Short Book of Margins: Reading in Company – The Return to the Text",
    ]);
    const [first, second] = await Promise.all(
      published.body.texts.map((text) => db.document.findUniqueOrThrow({ where: { id: text.document.id } })),
    );
    expect(first!.plainText).toContain("oldest annotation tool");
    expect(first!.plainText).not.toContain("When several people read the same pages");
    expect(second!.plainText).toContain("When several people read the same pages");
    expect(second!.plainText).toContain("notice what the others saw first");
    expect(second!.plainText).not.toContain("oldest annotation tool");
    for (const text of published.body.texts) {
      expect(text.reading).toMatchObject({ seminarId: seminar.id });
      expect(
        await db.reading.findFirstOrThrow({ where: { seminarId: seminar.id, documentId: text.document.id } }),
      ).toMatchObject({ instruction: "One chapter a week." });
      // The seminar's members are told of each new reading.
      expect(
        await db.notification.count({
          where: { userId: student.id, kind: "READING_ASSIGNED", documentId: text.document.id },
        }),
      ).toBe(1);
      expect(
        (await (await as(student)).request("GET", `/seminars/${seminar.id}/readings/${text.document.id}`))
          .status,
      ).toBe(200);
    }
    // The preview, and the file kept with it, are gone.
    expect(await db.upload.count({ where: { id } })).toBe(0);
  }, 120_000);

  it("refuses ranges for a text that has no chapters", async () => {
    const session = await as(instructor);
    const created = await upload(session, encode(ESSAY), "slowly.txt");
    expect(
      (await db.upload.findUniqueOrThrow({ where: { id: created.body.upload.id } })).original,
    ).toBeNull();
    const refused = await session.sendJson<ErrorBody>(
      "POST",
      `/api/uploads/${created.body.upload.id}/publish`,
      {
        seminarId: null,
        chapterRanges: [{ first: 0, last: 0 }],
      },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe("This upload has no chapters to publish one by one.");
  });
});

describe("images", () => {
  it("shows an upload's images to its uploader in preview, and to the seminar once published", async () => {
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
      "base64",
    );
    const html = `<html><head><title>Pictures</title></head><body><h1>Pictures</h1><p>A paragraph before the picture.</p>
      <figure><img src="data:image/png;base64,${png.toString("base64")}" alt="A single dot"><figcaption>The dot.</figcaption></figure></body></html>`;
    const session = await as(instructor);
    const created = await upload(session, encode(html), "pictures.html");
    expect(created.status).toBe(201);
    const preview = await session.getJson<Preview>(`/api/uploads/${created.body.upload.id}`);
    const key = /"key":"([a-f0-9]{32}\.png)"/.exec(JSON.stringify(preview.body.upload.content))?.[1];
    expect(key).toBeDefined();
    const imagePath = `/api/document-images/${key}`;
    const seen = await session.request("GET", imagePath);
    expect(seen.status).toBe(200);
    expect(Buffer.from(await seen.arrayBuffer()).equals(png)).toBe(true);
    expect((await (await as(student)).request("GET", imagePath)).status).toBe(404);

    const published = await session.sendJson<{ document: { id: string } }>(
      "POST",
      `/api/uploads/${created.body.upload.id}/publish`,
      { seminarId: seminar.id },
    );
    expect(published.status).toBe(201);
    expect(await db.documentImage.count({ where: { documentId: published.body.document.id, key } })).toBe(1);
    const read = await (await as(student)).request("GET", imagePath);
    expect(read.status).toBe(200);
    expect(read.headers.get("content-type")).toBe("image/png");
    expect((await (await as(outsider)).request("GET", imagePath)).status).toBe(404);

    // A seminar copy (the student assigns it in a seminar they teach) shows the image to its readers.
    const reader = await buildUser({ name: "Rita Reader" });
    const own = await buildSeminar({ instructor: student, students: [reader], withEssay: false });
    const assigned = await (
      await as(student)
    ).sendJson<{ reading: { documentId: string } }>("POST", `/api/seminars/${own.id}/readings`, {
      documentId: published.body.document.id,
    });
    expect(assigned.status).toBe(201);
    expect(
      await db.documentImage.count({ where: { documentId: assigned.body.reading.documentId, key } }),
    ).toBe(1);
    expect((await (await as(reader)).request("GET", imagePath)).status).toBe(200);
  });
});
