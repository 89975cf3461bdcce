import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { buildEssay, buildSeminar, buildUser, TEST_PASSWORD } from "../helpers/factories";
import { HttpSession } from "../helpers/http-session";

let app: AppServer;
beforeAll(async () => {
  app = await startAppServer();
});
afterAll(async () => {
  await app?.stop();
});

async function signedIn(user: { email: string }) {
  const session = new HttpSession(app.url);
  const error = await session.signIn(user.email, TEST_PASSWORD);
  if (error) throw new Error(error);
  return session;
}

type ErrorBody = { error: { code: string; message: string } };

describe("creating a seminar", () => {
  it("makes its creator the instructor, with an invite link and the default categories", async () => {
    const user = await buildUser();
    const session = await signedIn(user);
    const { status, body } = await session.sendJson<{ seminar: { id: string; title: string } }>(
      "POST",
      "/api/seminars",
      {
        title: "  Close Reading  ",
        description: "A test seminar.",
      },
    );
    expect(status).toBe(201);
    expect(body.seminar.title).toBe("Close Reading");
    const seminar = await session.getJson<{
      seminar: { role: string; invite: { code: string } | null; categories: { name: string }[] };
    }>(`/api/seminars/${body.seminar.id}`);
    expect(seminar.body.seminar.role).toBe("INSTRUCTOR");
    expect(seminar.body.seminar.invite?.code).toMatch(/^[a-z2-9]{10}$/);
    expect(seminar.body.seminar.categories.map((category) => category.name)).toEqual([
      "Key claim",
      "Evidence",
      "Question",
      "Context",
    ]);
  });

  it("refuses someone signed out with 401", async () => {
    const { status, body } = await new HttpSession(app.url).sendJson<ErrorBody>("POST", "/api/seminars", {
      title: "X",
    });
    expect(status).toBe(401);
    expect(body.error.code).toBe("unauthenticated");
  });

  it("refuses an empty title with 400", async () => {
    const session = await signedIn(await buildUser());
    const { status, body } = await session.sendJson<ErrorBody>("POST", "/api/seminars", { title: "   " });
    expect(status).toBe(400);
    expect(body.error.message).toBe("Give the seminar a title.");
  });
});

describe("joining with an invite code", () => {
  it("joins as a student with a valid code, and sees the reading", async () => {
    const seminar = await buildSeminar();
    const student = await signedIn(await buildUser());
    const joined = await student.sendJson<{ seminarId: string; role: string }>("POST", "/api/join", {
      code: seminar.inviteCode,
    });
    expect(joined).toEqual({ status: 200, body: { seminarId: seminar.id, role: "STUDENT" } });
    const page = await student.request("GET", `/seminars/${seminar.id}/readings/${seminar.documentId}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Trotsky, Guest of the Revolution");
  });

  it("refuses an unknown code with 404 and a clear message", async () => {
    const student = await signedIn(await buildUser());
    const { status, body } = await student.sendJson<ErrorBody>("POST", "/api/join", { code: "nosuchcode" });
    expect(status).toBe(404);
    expect(body.error.message).toBe("This invite link is not valid. Ask your instructor for a new one.");
  });

  it("refuses an expired code, naming the seminar", async () => {
    const seminar = await buildSeminar();
    await db.invite.updateMany({
      where: { seminarId: seminar.id },
      data: { expiresAt: new Date(Date.now() - 60_000) },
    });
    const student = await signedIn(await buildUser());
    const { status, body } = await student.sendJson<ErrorBody>("POST", "/api/join", {
      code: seminar.inviteCode,
    });
    expect(status).toBe(403);
    expect(body.error.message).toBe(
      `This invite link to “${seminar.title}” has expired. Ask your instructor for a new one.`,
    );
    expect(await db.membership.count({ where: { seminarId: seminar.id } })).toBe(1);
  });

  it("refuses the old code once the instructor makes a new link; the new one works", async () => {
    const seminar = await buildSeminar();
    const instructor = await signedIn(seminar.instructor);
    const renewed = await instructor.sendJson<{ invite: { code: string; expiresAt: string } }>(
      "POST",
      `/api/seminars/${seminar.id}/invite`,
      { expiresInDays: 7 },
    );
    expect(renewed.status).toBe(200);
    expect(new Date(renewed.body.invite.expiresAt).getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    const student = await signedIn(await buildUser());
    expect((await student.sendJson("POST", "/api/join", { code: seminar.inviteCode })).status).toBe(404);
    expect((await student.sendJson("POST", "/api/join", { code: renewed.body.invite.code })).status).toBe(
      200,
    );
  });

  it("shows the join page to someone signed out, with ways to sign in and come back", async () => {
    const seminar = await buildSeminar();
    const html = await (await new HttpSession(app.url).request("GET", `/join/${seminar.inviteCode}`)).text();
    expect(html).toContain(seminar.title);
    // The links bring the person back to this invite after signing up or in.
    expect(html).toContain(`/signup?callbackUrl=${encodeURIComponent(`/join/${seminar.inviteCode}`)}`);
    expect(html).toContain(`/signin?callbackUrl=${encodeURIComponent(`/join/${seminar.inviteCode}`)}`);
  });
});

describe("members", () => {
  it("a member leaves and loses access", async () => {
    const student = await buildUser();
    const seminar = await buildSeminar({ students: [student] });
    const session = await signedIn(student);
    expect((await session.getJson(`/api/seminars/${seminar.id}`)).status).toBe(200);
    const left = await session.sendJson("DELETE", `/api/seminars/${seminar.id}/members/${student.id}`);
    expect(left).toEqual({ status: 200, body: { userId: student.id, left: true } });
    expect((await session.getJson(`/api/seminars/${seminar.id}`)).status).toBe(404);
  });

  it("a removed member loses access on their next request", async () => {
    const student = await buildUser();
    const seminar = await buildSeminar({ students: [student] });
    const studentSession = await signedIn(student);
    expect(
      (await studentSession.request("GET", `/seminars/${seminar.id}/readings/${seminar.documentId}`)).status,
    ).toBe(200);

    const instructor = await signedIn(seminar.instructor);
    expect(
      (await instructor.sendJson("DELETE", `/api/seminars/${seminar.id}/members/${student.id}`)).status,
    ).toBe(200);

    expect(
      (await studentSession.request("GET", `/seminars/${seminar.id}/readings/${seminar.documentId}`)).status,
    ).toBe(404);
    expect((await studentSession.getJson(`/api/seminars/${seminar.id}`)).status).toBe(404);
  });

  it("a student cannot remove or promote anyone", async () => {
    const [student, other] = [await buildUser(), await buildUser()];
    const seminar = await buildSeminar({ students: [student, other] });
    const session = await signedIn(student);
    const removal = await session.sendJson<ErrorBody>(
      "DELETE",
      `/api/seminars/${seminar.id}/members/${other.id}`,
    );
    expect(removal.status).toBe(403);
    expect(removal.body.error.message).toBe("Only instructors can remove members.");
    const promotion = await session.sendJson<ErrorBody>(
      "PATCH",
      `/api/seminars/${seminar.id}/members/${student.id}`,
      {
        role: "INSTRUCTOR",
      },
    );
    expect(promotion.status).toBe(403);
    expect(
      await db.membership.findUnique({
        where: { userId_seminarId: { userId: student.id, seminarId: seminar.id } },
      }),
    ).toMatchObject({
      role: "STUDENT",
    });
  });

  it("a promoted member can manage the seminar; the last instructor cannot step down or leave", async () => {
    const student = await buildUser();
    const seminar = await buildSeminar({ students: [student] });
    const instructor = await signedIn(seminar.instructor);
    const studentSession = await signedIn(student);
    expect((await studentSession.sendJson("POST", `/api/seminars/${seminar.id}/invite`, {})).status).toBe(
      403,
    );

    const promoted = await instructor.sendJson("PATCH", `/api/seminars/${seminar.id}/members/${student.id}`, {
      role: "INSTRUCTOR",
    });
    expect(promoted).toEqual({ status: 200, body: { userId: student.id, role: "INSTRUCTOR" } });
    expect((await studentSession.sendJson("POST", `/api/seminars/${seminar.id}/invite`, {})).status).toBe(
      200,
    );

    // Two instructors: one may step down. Then the other is the last one.
    expect(
      (
        await studentSession.sendJson(
          "PATCH",
          `/api/seminars/${seminar.id}/members/${seminar.instructor.id}`,
          { role: "STUDENT" },
        )
      ).status,
    ).toBe(200);
    const stepDown = await studentSession.sendJson<ErrorBody>(
      "PATCH",
      `/api/seminars/${seminar.id}/members/${student.id}`,
      {
        role: "STUDENT",
      },
    );
    expect(stepDown.status).toBe(409);
    expect(stepDown.body.error.message).toBe(
      "A seminar needs at least one instructor. Promote someone else first.",
    );
    const leave = await studentSession.sendJson<ErrorBody>(
      "DELETE",
      `/api/seminars/${seminar.id}/members/${student.id}`,
    );
    expect(leave.status).toBe(409);
    expect(leave.body.error.message).toBe(
      "You are this seminar's only instructor. Promote someone else before you leave.",
    );
  });
});

describe("readings", () => {
  it("an instructor assigns a text with a due date and instruction, changes and removes it", async () => {
    const seminar = await buildSeminar({ withEssay: false });
    const essay = await buildEssay();
    const instructor = await signedIn(seminar.instructor);
    const assigned = await instructor.sendJson<{
      reading: { id: string; dueAt: string; instruction: string };
    }>("POST", `/api/seminars/${seminar.id}/readings`, {
      documentId: essay.id,
      dueAt: "2027-01-15T23:59:00.000Z",
      instruction: "Note every date.",
    });
    expect(assigned.status).toBe(201);
    expect(assigned.body.reading).toMatchObject({
      dueAt: "2027-01-15T23:59:00.000Z",
      instruction: "Note every date.",
    });
    const again = await instructor.sendJson<ErrorBody>("POST", `/api/seminars/${seminar.id}/readings`, {
      documentId: essay.id,
    });
    expect(again.status).toBe(409);

    const changed = await instructor.sendJson<{ reading: { dueAt: string | null } }>(
      "PATCH",
      `/api/seminars/${seminar.id}/readings/${assigned.body.reading.id}`,
      { dueAt: null },
    );
    expect(changed.body.reading.dueAt).toBeNull();
    expect(
      (
        await instructor.sendJson(
          "DELETE",
          `/api/seminars/${seminar.id}/readings/${assigned.body.reading.id}`,
        )
      ).status,
    ).toBe(200);
    expect(await db.reading.count({ where: { seminarId: seminar.id } })).toBe(0);
  });

  it("refuses a malformed due date with 400", async () => {
    const seminar = await buildSeminar({ withEssay: false });
    const essay = await buildEssay();
    const instructor = await signedIn(seminar.instructor);
    const { status } = await instructor.sendJson("POST", `/api/seminars/${seminar.id}/readings`, {
      documentId: essay.id,
      dueAt: "next tuesday",
    });
    expect(status).toBe(400);
  });

  it("a student cannot assign readings", async () => {
    const student = await buildUser();
    const seminar = await buildSeminar({ students: [student], withEssay: false });
    const essay = await buildEssay();
    const { status, body } = await (
      await signedIn(student)
    ).sendJson<ErrorBody>("POST", `/api/seminars/${seminar.id}/readings`, {
      documentId: essay.id,
    });
    expect(status).toBe(403);
    expect(body.error.message).toBe("Only instructors can assign readings.");
  });
});
