import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { buildSeminar, buildUser } from "../helpers/factories";
import { reply, startThread, writePrivateNote } from "../helpers/discussion";
import { HttpSession, signedInAs } from "../helpers/http-session";

type User = Awaited<ReturnType<typeof buildUser>>;
let app: AppServer;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let other: Awaited<ReturnType<typeof buildSeminar>>;
let iris: User;
let sol: User;
let ona: User;
const NOTE_MARKER = "ONA-PRIVATE-3b7f";

beforeAll(async () => {
  iris = await buildUser({ name: "Iris Instructor" });
  sol = await buildUser({ name: "Sol Student" });
  ona = await buildUser({ name: "Ona Other" });
  seminar = await buildSeminar({ instructor: iris, students: [sol, ona] });
  // Another seminar reading the same essay, which Sol is not in.
  other = await buildSeminar({ students: [ona] });
  const question = await startThread(iris, seminar, {
    kind: "GUIDING_QUESTION",
    phrase: "the savage, the exotic Mexico",
    text: "Whose gaze calls Mexico savage?",
  });
  await reply(ona, question, "The civilized world's.");
  await startThread(ona, other, { kind: "COMMENT", phrase: "Emiliano Zapata", text: "Elsewhere." });
  await writePrivateNote(seminar.documentId as string, ona.id, {
    phrase: "Octavio Fernández",
    text: `${NOTE_MARKER} Fernández and Rivera`,
  });
  await writePrivateNote(seminar.documentId as string, sol.id, {
    phrase: "Diego Rivera",
    text: "Sol's own note",
  });
  app = await startAppServer();
}, 180_000);

afterAll(async () => {
  await app?.stop();
});

const as = signedInAs(() => app.url);

const base = (s: { id: string; documentId: string | null }) =>
  `/api/seminars/${s.id}/documents/${s.documentId}`;
type ErrorBody = { error: { code: string; message: string } };

describe("review access over HTTP", () => {
  it("a student cannot review another seminar's reading: 404 from the API and the page", async () => {
    const session = await as(sol);
    const api = await session.getJson<ErrorBody>(`${base(other)}/review`);
    expect(api.status).toBe(404);
    expect(api.body.error.code).toBe("not_found");
    expect((await session.getJson(`${base(other)}/snapshots`)).status).toBe(404);
    const page = await session.request("GET", `/seminars/${other.id}/readings/${other.documentId}/review`);
    expect(page.status).toBe(404);
    expect(await page.text()).not.toContain("Elsewhere.");
  });

  it("a signed-out visitor gets 401 from the API and the sign-in page for the review page", async () => {
    const anonymous = new HttpSession(app.url);
    expect((await anonymous.getJson(`${base(seminar)}/review`)).status).toBe(401);
    const page = await anonymous.request(
      "GET",
      `/seminars/${seminar.id}/readings/${seminar.documentId}/review`,
    );
    expect([303, 307, 308]).toContain(page.status);
    expect(page.headers.get("location")).toContain("/signin");
  });

  it("review results hold the student's own notes, never another user's", async () => {
    const session = await as(sol);
    const { status, body } = await session.getJson<{
      threads: { kind: string; layer: string; firstComment: { text: string } | null }[];
    }>(`${base(seminar)}/review`);
    expect(status).toBe(200);
    expect(body.threads.map((thread) => thread.kind)).toEqual(["GUIDING_QUESTION", "NOTE"]);
    expect(body.threads[1]).toMatchObject({ layer: "private", firstComment: { text: "Sol's own note" } });
    expect(JSON.stringify(body)).not.toContain(NOTE_MARKER);
    // Not even by asking for notes, or searching for their words, or filtering by their owner.
    for (const query of ["?kind=note", `?q=${NOTE_MARKER}`, `?participant=${ona.id}&kind=note`]) {
      const answer = await session.getJson<{ threads: unknown[] }>(`${base(seminar)}/review${query}`);
      expect(answer.status).toBe(200);
      // (The query itself is echoed back; the threads must not hold the note.)
      expect(JSON.stringify(answer.body.threads)).not.toContain(NOTE_MARKER);
      expect(JSON.stringify(answer.body.threads)).not.toContain("Fernández and Rivera");
    }
    // The page neither.
    const page = await session.request(
      "GET",
      `/seminars/${seminar.id}/readings/${seminar.documentId}/review`,
    );
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Sol&#x27;s own note");
    expect(html).not.toContain(NOTE_MARKER);
  });

  it("an instructor's review holds no student's notes either", async () => {
    const session = await as(iris);
    const { body } = await session.getJson(`${base(seminar)}/review`);
    expect(JSON.stringify(body)).not.toContain(NOTE_MARKER);
    expect(JSON.stringify(body)).not.toContain("Sol's own note");
  });

  it("snapshots never hold private notes", async () => {
    const session = await as(iris);
    const taken = await session.sendJson<{ id: string }>("POST", `${base(seminar)}/snapshots`, {
      name: "Before the seminar",
    });
    expect(taken.status).toBe(201);
    for (const user of [sol, ona, iris]) {
      const viewer = await as(user);
      const snapshot = await viewer.getJson(`${base(seminar)}/snapshots/${taken.body.id}`);
      expect(snapshot.status).toBe(200);
      expect(JSON.stringify(snapshot.body)).not.toContain(NOTE_MARKER);
      expect(JSON.stringify(snapshot.body)).not.toContain("Sol's own note");
      const page = await viewer.request(
        "GET",
        `/seminars/${seminar.id}/readings/${seminar.documentId}/snapshots/${taken.body.id}`,
      );
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain("Before the seminar");
      expect(html).not.toContain(NOTE_MARKER);
    }
  });

  it("students cannot take snapshots (403), nor see participation (403)", async () => {
    const session = await as(sol);
    const taken = await session.sendJson<ErrorBody>("POST", `${base(seminar)}/snapshots`, { name: "Mine" });
    expect(taken.status).toBe(403);
    expect(taken.body.error.message).toBe("Only the seminar's instructors can take snapshots.");
    expect((await session.getJson(`${base(seminar)}/participation`)).status).toBe(403);
    expect((await (await as(iris)).getJson(`${base(seminar)}/participation`)).status).toBe(200);
  });

  it("a snapshot of another seminar is 404 through this seminar's address", async () => {
    const elsewhere = await (await as(ona)).getJson<{ snapshots: unknown[] }>(`${base(other)}/snapshots`);
    expect(elsewhere).toEqual({ status: 200, body: { snapshots: [] } });
    const ours = await (
      await as(iris)
    ).getJson<{ snapshots: { id: string }[] }>(`${base(seminar)}/snapshots`);
    const id = ours.body.snapshots[0]?.id as string;
    expect((await (await as(ona)).getJson(`${base(other)}/snapshots/${id}`)).status).toBe(404);
  });

  it("a malformed query is a clear 400", async () => {
    const answer = await (await as(sol)).getJson<ErrorBody>(`${base(seminar)}/review?sort=sideways`);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("invalid_input");
  });

  it("a snapshot needs a same-site Origin", async () => {
    const session = await as(iris);
    const response = await session.sendJson(
      "POST",
      `${base(seminar)}/snapshots`,
      { name: "x" },
      "https://evil.test",
    );
    expect(response.status).toBe(403);
  });
});
