import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { buildSeminar, buildUser, TEST_PASSWORD } from "../helpers/factories";
import { startThread } from "../helpers/discussion";
import { HttpSession } from "../helpers/http-session";

let app: AppServer;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let outsider: HttpSession;
let secrets: string[];
let readingId: string;
let memberId: string;
let commentId: string;

beforeAll(async () => {
  app = await startAppServer();
  const member = await buildUser({ name: "Member Withsecretname", email: "member-secret@example.test" });
  memberId = member.id;
  seminar = await buildSeminar({ students: [member] });
  await db.seminar.update({ where: { id: seminar.id }, data: { description: "Secret seminar description" } });
  readingId = (await db.reading.findFirstOrThrow({ where: { seminarId: seminar.id } })).id;
  const threadId = await startThread(member, seminar, {
    kind: "COMMENT",
    phrase: "raging dogs that must be brought down",
    text: "A member's thought",
  });
  commentId = (await db.comment.findFirstOrThrow({ where: { annotationId: threadId } })).id;
  await db.reading.update({ where: { id: readingId }, data: { instruction: "Secret instruction text" } });
  // The outsider is an instructor of a seminar of their own.
  const stranger = await buildUser();
  await buildSeminar({ instructor: stranger });
  outsider = new HttpSession(app.url);
  expect(await outsider.signIn(stranger.email, TEST_PASSWORD)).toBeNull();
  secrets = [
    seminar.title,
    "Secret seminar description",
    "Secret instruction text",
    seminar.inviteCode,
    "Withsecretname",
    "member-secret@example.test",
  ];
});
afterAll(async () => {
  await app?.stop();
});

describe("a signed-in non-member asking for another seminar", () => {
  const routes = (): [string, string, unknown?][] => [
    ["GET", `/seminars/${seminar.id}`],
    ["GET", `/seminars/${seminar.id}/readings/${seminar.documentId}`],
    ["GET", `/api/seminars/${seminar.id}`],
    ["POST", `/api/seminars/${seminar.id}/invite`, {}],
    ["PATCH", `/api/seminars/${seminar.id}/members/${memberId}`, { role: "INSTRUCTOR" }],
    ["DELETE", `/api/seminars/${seminar.id}/members/${memberId}`],
    ["POST", `/api/seminars/${seminar.id}/readings`, { documentId: seminar.documentId }],
    ["PATCH", `/api/seminars/${seminar.id}/readings/${readingId}`, { instruction: "hijacked" }],
    ["DELETE", `/api/seminars/${seminar.id}/readings/${readingId}`],
    ["POST", `/api/comments/${commentId}/reactions/helpful`],
    ["DELETE", `/api/comments/${commentId}/reactions/helpful`],
  ];

  it("gets 404 and none of its data from every seminar and reading route", async () => {
    for (const [method, path, json] of routes()) {
      const response = await outsider.request(method, path, json === undefined ? {} : { json });
      const body = await response.text();
      expect(response.status, `${method} ${path}`).toBe(404);
      for (const secret of secrets) expect(body, `${method} ${path} leaks “${secret}”`).not.toContain(secret);
    }
  });

  it("changed nothing", async () => {
    expect(
      await db.membership.findMany({
        where: { seminarId: seminar.id },
        select: { userId: true, role: true },
      }),
    ).toHaveLength(2);
    expect(await db.reading.findUniqueOrThrow({ where: { id: readingId } })).toMatchObject({
      instruction: "Secret instruction text",
    });
    expect(await db.invite.count({ where: { seminarId: seminar.id, revokedAt: null } })).toBe(1);
    expect(await db.reaction.count({ where: { commentId } })).toBe(0);
  });

  it("does not see the seminar in their own list", async () => {
    const { body } = await outsider.getJson<{ seminars: { id: string }[] }>("/api/seminars");
    expect(body.seminars.map((entry) => entry.id)).not.toContain(seminar.id);
  });

  it("someone signed out is sent to sign in from pages, and gets 401 from the API", async () => {
    const anonymous = new HttpSession(app.url);
    const page = await anonymous.request("GET", `/seminars/${seminar.id}`);
    expect(page.status).toBe(307);
    expect(page.headers.get("location")).toContain("/signin");
    const api = await anonymous.request("GET", `/api/seminars/${seminar.id}`);
    expect(api.status).toBe(401);
    const text = await api.text();
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
