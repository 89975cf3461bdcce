/**
 * The five signed-in pages (a seminar, a reading, its review, export and
 * snapshot views) share one loader (app/_lib/page-loader.ts): someone signed
 * out is sent to sign in and brought back, someone who may not know the thing
 * exists gets the 404 page, and the title comes from the same load as the page.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { takeSnapshot } from "../../lib/server/snapshots/take-snapshot";
import { warmUp, warmUpPaths } from "../../server/warm-up";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { buildSeminar, buildUser, TEST_PASSWORD } from "../helpers/factories";
import { HttpSession } from "../helpers/http-session";

let app: AppServer;
let instructor: HttpSession;
let outsider: HttpSession;
let pages: { name: string; path: string; title: string }[];
let seminarId: string;
let documentId: string;
let secrets: string[];

beforeAll(async () => {
  app = await startAppServer();
  const seminar = await buildSeminar();
  seminarId = seminar.id;
  documentId = seminar.documentId as string;
  const document = await db.document.findUniqueOrThrow({
    where: { id: documentId },
    select: { title: true },
  });
  const snapshot = await takeSnapshot({ userId: seminar.instructor.id }, seminarId, documentId, {
    name: "Week one",
  });
  secrets = [seminar.title, "Week one"];
  const reading = `/seminars/${seminarId}/readings/${documentId}`;
  pages = [
    { name: "seminar", path: `/seminars/${seminarId}`, title: seminar.title },
    { name: "reading", path: reading, title: `${document.title} · ${seminar.title}` },
    { name: "review", path: `${reading}/review`, title: `Review · ${document.title} · ${seminar.title}` },
    { name: "export", path: `${reading}/export`, title: `Export · ${document.title} · ${seminar.title}` },
    { name: "snapshot", path: `${reading}/snapshots/${snapshot.id}`, title: `Week one · ${document.title}` },
  ];
  instructor = new HttpSession(app.url);
  expect(await instructor.signIn(seminar.instructor.email, TEST_PASSWORD)).toBeNull();
  const stranger = await buildUser();
  outsider = new HttpSession(app.url);
  expect(await outsider.signIn(stranger.email, TEST_PASSWORD)).toBeNull();
});
afterAll(async () => {
  await app?.stop();
});

/** The page's <title>, with the few entities React writes decoded. */
async function titleOf(response: Response): Promise<string> {
  const match = /<title>([^<]*)<\/title>/.exec(await response.text());
  const raw = match?.[1] ?? "";
  return raw
    .replaceAll("&amp;", "&")
    .replaceAll("&#x27;", "'")
    .replaceAll("&quot;", '"')
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">");
}

describe("the signed-in pages", () => {
  it("send someone signed out to sign in, coming back to the same page", async () => {
    const anonymous = new HttpSession(app.url);
    for (const page of pages) {
      const response = await anonymous.request("GET", page.path);
      expect(response.status, page.name).toBe(307);
      expect(response.headers.get("location"), page.name).toBe(
        `/signin?callbackUrl=${encodeURIComponent(page.path)}`,
      );
    }
  });

  it("show a member the page, titled from the same load", async () => {
    for (const page of pages) {
      const response = await instructor.request("GET", page.path);
      expect(response.status, page.name).toBe(200);
      expect(await titleOf(response), page.name).toBe(`${page.title} · Marginalia`);
    }
  });

  it("answer 404 to someone outside the seminar, naming nothing of it", async () => {
    for (const page of pages) {
      const response = await outsider.request("GET", page.path);
      expect(response.status, page.name).toBe(404);
      const body = await response.text();
      for (const secret of secrets) expect(body, `${page.name} leaks “${secret}”`).not.toContain(secret);
    }
  });

  it("answer 404 to a member for a reading or snapshot that does not exist", async () => {
    for (const path of [
      `/seminars/${seminarId}/readings/nosuchdocument0001`,
      `/seminars/${seminarId}/readings/nosuchdocument0001/review`,
      `/seminars/${seminarId}/readings/${documentId}/snapshots/nosuchsnapshot0001`,
    ]) {
      expect((await instructor.request("GET", path)).status, path).toBe(404);
    }
  });

  it("include those the app asks itself for as it starts, each answering without an error", async () => {
    const paths = warmUpPaths(["trotsky-guest-of-the-revolution"]);
    expect(paths).toContain(`/seminars/warm-up/readings/warm-up`);
    // The seeded essay is public: its page renders a text as a reading does.
    expect(await warmUp(app.url, paths)).toMatchObject({ failed: 0 });
    // A page that is gone counts as failed: warming it up would do nothing.
    expect(await warmUp(app.url, ["/no-such-page"])).toMatchObject({ failed: 1 });
  });
});
