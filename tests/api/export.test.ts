/**
 * GET /api/seminars/:seminarId/documents/:documentId/export over HTTP, against
 * the whole app: every format downloads as an attachment with the right
 * headers, the text formats stream, and nobody gets what they may not see —
 * another seminar's reading, or another member's private notes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebAnnotationCollection } from "../../lib/server/exports/jsonld";
import { EXPORT_PROGRESS_MEDIA_TYPE, type ExportFrame } from "../../lib/shared/exports/export-progress";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { buildSeminar, buildUser } from "../helpers/factories";
import { HttpSession, signedInAs } from "../helpers/http-session";
import { buildExportScenario, SECRETS } from "../exports/export-scenario";

let app: AppServer;
let scenario: Awaited<ReturnType<typeof buildExportScenario>>;
let outsider: Awaited<ReturnType<typeof buildUser>>;

beforeAll(async () => {
  scenario = await buildExportScenario();
  outsider = await buildUser({ name: "Out Sider" });
  await buildSeminar({ instructor: outsider });
  app = await startAppServer();
}, 600_000); // the first app server of a run may have to build the app
afterAll(async () => {
  await app?.stop();
});

const as = signedInAs(() => app.url);

function exportPath(query: Record<string, string>, seminarId = scenario.seminar.id) {
  return `/api/seminars/${seminarId}/documents/${scenario.documentId}/export?${new URLSearchParams(query).toString()}`;
}

async function download(user: { email: string } | null, query: Record<string, string>) {
  const session = user ? await as(user) : new HttpSession(app.url);
  const response = await session.request("GET", exportPath(query));
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

const TEXT_FORMATS = [
  ["md", "text/markdown; charset=utf-8"],
  ["csv", "text/csv; charset=utf-8; header=present"],
  ["jsonld", 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'],
] as const;

describe("downloading", () => {
  it.each(TEXT_FORMATS)("streams %s as an attachment", async (format, contentType) => {
    const { response, bytes } = await download(scenario.sofia, { format });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(contentType);
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="trotsky-guest-of-the-revolution-annotations.${format}"`,
    );
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    // Streamed: the length is not known up front.
    expect(response.headers.get("content-length")).toBeNull();
    expect(bytes.length).toBeGreaterThan(1000);
  });

  it("downloads the HTML annotated copy whole", async () => {
    const { response, bytes } = await download(scenario.sofia, { format: "html" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(
      'attachment; filename="trotsky-guest-of-the-revolution-annotations.html"',
    );
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    const length = response.headers.get("content-length");
    if (length !== null) expect(Number(length)).toBe(bytes.length);
    expect(bytes.toString("utf8")).toMatch(/^<!DOCTYPE html>/i);
  });

  it("downloads the PDF annotated copy", async () => {
    const { response, bytes } = await download(scenario.sofia, { format: "pdf" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toBe(
      'attachment; filename="trotsky-guest-of-the-revolution-annotations.pdf"',
    );
    // Streamed from its file on disk, chunked (Next drops a route handler's Content-Length).
    expect(response.headers.get("transfer-encoding")).toBe("chunked");
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  }, 120_000);

  it("streams the PDF's progress ahead of it when asked, then the file whole behind its length", async () => {
    const { response, bytes } = await download(scenario.sofia, { format: "pdf", progress: "true" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(EXPORT_PROGRESS_MEDIA_TYPE);
    const frames: ExportFrame[] = [];
    let at = 0;
    while (!frames.some((frame) => "file" in frame || "error" in frame)) {
      const newline = bytes.indexOf(10, at);
      expect(newline).toBeGreaterThan(at);
      frames.push(JSON.parse(bytes.subarray(at, newline).toString("utf8")) as ExportFrame);
      at = newline + 1;
    }
    const progress = frames.flatMap((frame) => ("progress" in frame ? [frame.progress] : []));
    expect(progress.map((entry) => entry.stage)).toEqual(
      expect.arrayContaining(["loading", "setting", "printing", "done"]),
    );
    const fractions = progress.map((entry) => entry.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    const last = frames.at(-1) as ExportFrame;
    expect(last).toEqual({
      file: {
        filename: "trotsky-guest-of-the-revolution-annotations.pdf",
        contentType: "application/pdf",
        bytes: bytes.length - at,
      },
    });
    expect(bytes.subarray(at, at + 5).toString("latin1")).toBe("%PDF-");
  }, 120_000);

  it("refuses a bad export with its status even when progress is asked for", async () => {
    const bad = await download(scenario.sofia, { format: "pdf", progress: "true", layers: "everyone" });
    expect(bad.response.status).toBe(400);
    const flag = await download(scenario.sofia, { format: "pdf", progress: "sometimes" });
    expect(flag.response.status).toBe(400);
    const outside = await download(outsider, { format: "pdf", progress: "true" });
    expect(outside.response.status).toBe(404);
  });

  it("makes each format readable: Markdown, CSV with a BOM, JSON-LD on this origin", async () => {
    const markdown = (await download(scenario.sofia, { format: "md" })).bytes.toString("utf8");
    expect(markdown).toContain("# Trotsky, Guest of the Revolution");
    expect(markdown).toMatch(/\n\[\^a1\]: On “[^\n]+”: \*\*/);
    const csv = (await download(scenario.sofia, { format: "csv" })).bytes;
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString("utf8")).toContain('"Sofía Estudiante"');
    const collection = JSON.parse(
      (await download(scenario.sofia, { format: "jsonld" })).bytes.toString("utf8"),
    ) as WebAnnotationCollection;
    expect(collection.type).toBe("AnnotationCollection");
    expect(collection.total).toBe(collection.first.items.length);
    expect(
      collection.first.items[0]?.id.startsWith(`${app.url}/seminars/${scenario.seminar.id}/readings/`),
    ).toBe(true);
  });

  it("names a private-notes export as notes", async () => {
    const { response } = await download(scenario.sofia, { format: "md", layers: "private" });
    expect(response.headers.get("content-disposition")).toBe(
      'attachment; filename="trotsky-guest-of-the-revolution-notes.md"',
    );
  });

  it("refuses an unknown format or option with a clear 400", async () => {
    const bad = await download(scenario.sofia, { format: "docx" });
    expect(bad.response.status).toBe(400);
    expect(JSON.parse(bad.bytes.toString("utf8"))).toMatchObject({
      error: { code: "invalid_input", message: expect.stringContaining("Choose a format") as unknown },
    });
    const layers = await download(scenario.sofia, { format: "md", layers: "everyone" });
    expect(layers.response.status).toBe(400);
    const flag = await download(scenario.sofia, { format: "md", includeResolved: "maybe" });
    expect(flag.response.status).toBe(400);
    const snapshot = await download(scenario.sofia, { format: "md", snapshotId: "nosuchsnapshot" });
    expect(snapshot.response.status).toBe(404);
  });
});

describe("who may export what", () => {
  it("answers 401 to a visitor who is not signed in", async () => {
    const { response } = await download(null, { format: "md" });
    expect(response.status).toBe(401);
  });

  it.each(["md", "csv", "jsonld", "html", "pdf"])(
    "does not let a student of another seminar export this reading as %s (404)",
    async (format) => {
      const { response, bytes } = await download(outsider, { format });
      expect(response.status).toBe(404);
      expect(response.headers.get("content-disposition")).toBeNull();
      expect(bytes.toString("utf8")).not.toContain("Trotsky");
    },
  );

  it.each(["md", "csv", "jsonld", "html"])(
    "never puts another member's private note in a %s export, whatever is asked",
    async (format) => {
      const queries: Record<string, string>[] = [
        { format, layers: "both" },
        { format, layers: "private" },
        { format, layers: "private", participantId: scenario.omar.id },
        { format, layers: "both", participantId: scenario.omar.id },
      ];
      for (const query of queries) {
        const text = (await download(scenario.sofia, query)).bytes.toString("utf8");
        expect(text).not.toContain(SECRETS.omarNote);
        expect(text).not.toContain(scenario.ids.omarNote);
      }
      // …while the exporter's own note is there when asked for.
      const mine = (await download(scenario.sofia, { format, layers: "both" })).bytes.toString("utf8");
      expect(mine).toContain(SECRETS.sofiaNote);
      const seminarOnly = (await download(scenario.sofia, { format })).bytes.toString("utf8");
      expect(seminarOnly).not.toContain(SECRETS.sofiaNote);
      // The note's owner gets their own.
      const omars = (await download(scenario.omar, { format, layers: "private" })).bytes.toString("utf8");
      expect(omars).toContain(SECRETS.omarNote);
      expect(omars).not.toContain(SECRETS.sofiaNote);
    },
  );

  it("exports a hidden comment's words, marked, to instructors only; deleted words to nobody", async () => {
    const marks: Record<string, string> = {
      md: "*\\[hidden from students\\]*",
      csv: '"yes"',
      jsonld: '"schema:educationalRole": "instructor"',
      html: "Hidden from students",
    };
    for (const [format, mark] of Object.entries(marks)) {
      const instructors = (await download(scenario.instructor, { format })).bytes.toString("utf8");
      expect(instructors, format).toContain(SECRETS.hiddenReply);
      expect(instructors, format).toContain(mark);
      expect(instructors, format).not.toContain(SECRETS.deletedReply);
      const students = (await download(scenario.sofia, { format })).bytes.toString("utf8");
      expect(students, format).not.toContain(SECRETS.hiddenReply);
      // A student's CSV says "yes" in the hidden column too, beside "[hidden by an instructor]".
      if (format !== "csv") expect(students, format).not.toContain(mark);
      expect(students, format).not.toContain(SECRETS.deletedReply);
    }
  });
});

describe("filters", () => {
  it("exports one participant's threads and comments", async () => {
    const text = (
      await download(scenario.sofia, { format: "csv", participantId: scenario.instructor.id })
    ).bytes
      .toString("utf8")
      .replace(/^\uFEFF/, "");
    const authors = new Set(
      text
        .split("\r\n")
        .slice(1)
        .filter(Boolean)
        .map((line) => line.split('","')[10]),
    );
    expect(authors).toEqual(new Set(["Irene Instructor"]));
    expect(text).toContain("Good — and what did Rivera gain?");
    expect(text).not.toContain("A famous guest, and trouble.");
  });

  it("leaves out resolved threads when asked, and keeps them by default", async () => {
    for (const format of ["md", "csv", "jsonld"]) {
      const all = (await download(scenario.sofia, { format })).bytes.toString("utf8");
      expect(all).toContain("Five minutes! Is this literally true?");
      const open = (await download(scenario.sofia, { format, includeResolved: "false" })).bytes.toString(
        "utf8",
      );
      expect(open).not.toContain("Five minutes! Is this literally true?");
      expect(open).toContain("Why would a revolutionary government take this risk?");
    }
  });
});
