/**
 * Issue 9 §1: an update whose item carries a value nested thousands of levels
 * deep (ContentAny, JSON, embed, format, subdocument options) made a room
 * unloadable for everyone once committed. The server now refuses it with
 * 4413 before it is applied, committed or broadcast — from an instructor in a
 * text room as from a student in their own notes room — and still takes a
 * value nested exactly to the limit.
 */
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { roomName } from "../../lib/shared/rooms";
import { DEFAULT_VALUE_LIMITS, type ValueContentKind } from "../../lib/shared/yjs/inspect-update";
import { deepValueUpdate } from "../../lib/shared/yjs/update-test-kit";
import { connectClient, sessionCookie, startCollab, waitFor, type CollabHarness } from "../helpers/collab";
import { buildSeminar, buildUser } from "../helpers/factories";
import { closeCode, openSocket, syncStep2, updateMessage } from "./protocol-kit";

const LIMIT = DEFAULT_VALUE_LIMITS.maxValueDepth;
const KINDS: ValueContentKind[] = ["any", "json", "embed", "format", "doc"];

let harness: CollabHarness;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let student: Awaited<ReturnType<typeof buildUser>>;
let instructorCookie: string;
let studentCookie: string;

beforeAll(async () => {
  harness = await startCollab();
  student = await buildUser({ name: "Student" });
  seminar = await buildSeminar({ students: [student], ownText: true });
  instructorCookie = (await sessionCookie(seminar.instructor)).cookie;
  studentCookie = (await sessionCookie(student)).cookie;
});
afterAll(async () => {
  await harness?.close();
});

describe("deeply nested values", () => {
  it.each(KINDS.flatMap((kind) => [LIMIT + 1, 5_000, 100_000].map((depth) => [kind, depth] as const)))(
    "closes a writer sending a %s value nested %i levels with 4413 and stores nothing of it",
    async (kind, depth) => {
      const isNotes = depth === 5_000;
      const room = isNotes
        ? roomName({ kind: "notes", documentId: seminar.documentId as string, userId: student.id })
        : roomName({ kind: "text", documentId: seminar.documentId as string });
      const cookie = isNotes ? studentCookie : instructorCookie;
      const socket = await openSocket(harness, room, cookie);
      await waitFor(() => socket.frames.length > 0, "the room to load and greet");
      const client = 40_000 + depth + KINDS.indexOf(kind);
      // As an update, or as the sync step 2 a client answers with: both are checked.
      socket.send(
        depth === LIMIT + 1
          ? syncStep2(deepValueUpdate(kind, depth, client))
          : updateMessage(deepValueUpdate(kind, depth, client)),
      );
      expect(await closeCode(socket)).toBe(4413);
      const stored = await db.yUpdate.findMany({ where: { room }, select: { data: true } });
      for (const row of stored)
        expect(Y.decodeUpdate(row.data).structs.some((s) => s.id.client === client)).toBe(false);
    },
  );

  it("takes a value of every kind nested exactly to the limit and delivers it", async () => {
    const room = roomName({ kind: "notes", documentId: seminar.documentId as string, userId: student.id });
    const reader = await connectClient(harness, room, { cookie: studentCookie });
    const socket = await openSocket(harness, room, studentCookie);
    await waitFor(() => socket.frames.length > 0, "the room to load and greet");
    for (const [index, kind] of KINDS.entries())
      socket.send(updateMessage(deepValueUpdate(kind, LIMIT, 90_000 + index)));
    await waitFor(
      () => KINDS.every((_, index) => Y.getState(reader.doc.store, 90_000 + index) === 1),
      "every at-limit value to reach the other client",
    );
    expect(await closeCode(socket, 500)).toBe("still open");
    reader.destroy();
  });
});
