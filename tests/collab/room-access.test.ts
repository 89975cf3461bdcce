import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { roomName } from "../../lib/shared/rooms";
import { buildSeminar, buildUser } from "../helpers/factories";
import { openRaw, sessionCookie, startCollab, type CollabHarness } from "../helpers/collab";

let harness: CollabHarness;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let other: Awaited<ReturnType<typeof buildSeminar>>;
let student: Awaited<ReturnType<typeof buildUser>>;
let studentCookie: string;

beforeAll(async () => {
  harness = await startCollab();
  student = await buildUser({ name: "Student" });
  seminar = await buildSeminar({ students: [student] });
  other = await buildSeminar({ withEssay: true });
  studentCookie = (await sessionCookie(student)).cookie;
});
afterAll(async () => {
  await harness?.close();
});

async function refusal(room: string, options: Parameters<typeof openRaw>[2]) {
  const result = await openRaw(harness, room, options);
  if ("socket" in result) {
    result.socket.ws.terminate();
    throw new Error(`expected a refusal for ${room}, but the upgrade was accepted`);
  }
  return result;
}

describe("who may open a room", () => {
  it("refuses another seminar's room with 403 before upgrading: not a byte of the document", async () => {
    const room = roomName({ kind: "seminar", seminarId: other.id, documentId: other.documentId as string });
    const result = await refusal(room, { cookie: studentCookie });
    expect(result.status).toBe(403);
    expect(result.body).toBe("You may not join this room.");
  });

  it("refuses another user's notes room with 403, even on a document both read", async () => {
    const room = roomName({
      kind: "notes",
      documentId: seminar.documentId as string,
      userId: seminar.instructor.id,
    });
    const result = await refusal(room, { cookie: studentCookie });
    expect(result.status).toBe(403);
  });

  it("refuses the text room of a private document only another seminar reads", async () => {
    const privateText = await db.document.create({
      data: {
        slug: "a-private-text",
        title: "A private text",
        byline: "Someone",
        source: "Nowhere",
        content: { type: "doc", content: [{ type: "title" }, { type: "paragraph" }] },
        plainText: "",
        offsetMap: [],
        version: "1",
      },
    });
    await db.reading.create({ data: { seminarId: other.id, documentId: privateText.id } });
    const result = await refusal(roomName({ kind: "text", documentId: privateText.id }), {
      cookie: studentCookie,
    });
    expect(result).toMatchObject({ status: 403, bytes: "You may not join this room.".length });
  });

  it("refuses a room of a document that does not exist with 404", async () => {
    const room = roomName({ kind: "seminar", seminarId: seminar.id, documentId: "doc0000000nothere" });
    expect((await refusal(room, { cookie: studentCookie })).status).toBe(404);
  });

  it.each([
    ["no session cookie", { cookie: undefined }, 401, "Sign in to join this room."],
    ["a forged cookie", { cookie: "next-auth.session-token=not-a-jwt" }, 401, "Sign in to join this room."],
    [
      "a foreign Origin",
      { origin: "https://evil.example" },
      403,
      "This connection came from another site and was refused.",
    ],
    ["no Origin", { origin: null }, 403, "This connection came from another site and was refused."],
  ])("refuses %s with %d", async (_name, options, status, body) => {
    const room = roomName({
      kind: "seminar",
      seminarId: seminar.id,
      documentId: seminar.documentId as string,
    });
    const result = await refusal(room, { cookie: studentCookie, ...options });
    expect(result).toMatchObject({ status, body });
  });

  it.each([
    ["not-a-room"],
    ["text:"],
    ["seminar:abc"],
    ["text:UPPERCASE0001"],
    ["notes:a:b:c"],
    ["x".repeat(500)],
  ])("refuses the malformed room name %s with 400", async (room) => {
    expect((await refusal(room, { cookie: studentCookie })).status).toBe(400);
  });

  it("refuses a room of a seminar that does not exist with 404", async () => {
    const room = roomName({
      kind: "seminar",
      seminarId: "sem00000000none",
      documentId: seminar.documentId as string,
    });
    expect((await refusal(room, { cookie: studentCookie })).status).toBe(404);
  });

  it("accepts a member in the seminar room and the text room, and the owner in their notes room", async () => {
    for (const room of [
      roomName({ kind: "seminar", seminarId: seminar.id, documentId: seminar.documentId as string }),
      roomName({ kind: "text", documentId: seminar.documentId as string }),
      roomName({ kind: "notes", documentId: seminar.documentId as string, userId: student.id }),
    ]) {
      const result = await openRaw(harness, room, { cookie: studentCookie });
      expect("socket" in result, room).toBe(true);
      if ("socket" in result) result.socket.ws.close();
    }
  });
});
