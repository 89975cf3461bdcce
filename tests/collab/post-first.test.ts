/**
 * Post first, then see (docs/adr/0019), at the protocol level: a student who has not
 * yet written enough on a gated reading cannot open the seminar room, and every frame
 * their own view room sends carries instructors' and their own words, never a
 * classmate's. Once they have posted enough, the view room says so and the seminar
 * room lets them in.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Y from "yjs";
import { db } from "../../lib/server/db";
import { updateReading } from "../../lib/server/seminars/update-reading";
import { ROOT_TYPES, roomName } from "../../lib/shared/rooms";
import { reply, startThread } from "../helpers/discussion";
import { buildSeminar, buildUser } from "../helpers/factories";
import {
  connectClient,
  openRaw,
  sessionCookie,
  startCollab,
  waitFor,
  type CollabHarness,
  type RawSocket,
} from "../helpers/collab";
import { closeCode, containsBytes, decodeFrame, openSocket, syncStep1 } from "./protocol-kit";
import { decodedEntries } from "../helpers/room-entries";

let harness: CollabHarness;

beforeAll(async () => {
  harness = await startCollab();
});
afterAll(async () => {
  await harness?.close();
});

/** A seminar whose reading asks students to post `count` first. */
async function gatedSeminar(count: number | null) {
  const [student, classmate] = [await buildUser({ name: "Student" }), await buildUser({ name: "Classmate" })];
  const seminar = await buildSeminar({ students: [student, classmate] });
  const documentId = seminar.documentId as string;
  const reading = await db.reading.findFirstOrThrow({ where: { seminarId: seminar.id, documentId } });
  const setGate = (postFirstCount: number | null) =>
    updateReading({ userId: seminar.instructor.id }, seminar.id, reading.id, { postFirstCount });
  if (count !== null) await setGate(count);
  return {
    seminar,
    documentId,
    student,
    classmate,
    setGate,
    seminarRoom: roomName({ kind: "seminar", seminarId: seminar.id, documentId }),
    viewRoom: roomName({ kind: "view", seminarId: seminar.id, documentId, userId: student.id }),
    cookie: async (user: { id: string; name: string; email: string }) => (await sessionCookie(user)).cookie,
  };
}

/** Asks for the whole state again; resolves once the answer has come. */
async function syncFully(socket: RawSocket) {
  const before = socket.frames.length;
  socket.send(syncStep1());
  await waitFor(
    () => socket.frames.slice(before).some((frame) => decodeFrame(frame).type === "sync-step2"),
    "the answer to sync step 1",
  );
}

function gateOf(doc: Y.Doc) {
  return Object.fromEntries(doc.getMap(ROOT_TYPES.gate).entries());
}

describe("post first, then see", () => {
  it("sends a locked student only instructors' and their own words, then lets them into the seminar room", async () => {
    const { seminar, student, classmate, seminarRoom, viewRoom, cookie } = await gatedSeminar(2);
    const secret = `classmate-${randomUUID()}`;
    const question = `instructor-question-${randomUUID()}`;
    const classmateThread = await startThread(classmate, seminar, {
      kind: "COMMENT",
      phrase: "raging dogs that must be brought down",
      text: `${secret} thread`,
    });
    const questionId = await startThread(seminar.instructor, seminar, {
      kind: "GUIDING_QUESTION",
      phrase: "raging dogs that must be brought down",
      text: question,
    });
    await reply(classmate, questionId, `${secret} reply to the question`);

    const studentCookie = await cookie(student);
    // The seminar room is refused with no document bytes; nobody else may open the view room.
    const refused = await openRaw(harness, seminarRoom, { cookie: studentCookie });
    if ("socket" in refused) refused.socket.ws.terminate();
    expect("socket" in refused ? "let in" : refused.status).toBe(403);
    for (const other of [classmate, seminar.instructor]) {
      const result = await openRaw(harness, viewRoom, { cookie: await cookie(other) });
      if ("socket" in result) result.socket.ws.terminate();
      expect("socket" in result ? `${other.name} let in` : result.status).toBe(403);
    }

    const raw = await openSocket(harness, viewRoom, studentCookie);
    await syncFully(raw);
    const client = await connectClient(harness, viewRoom, { cookie: studentCookie });
    expect([...client.doc.getMap(ROOT_TYPES.annotations).keys()]).toEqual([questionId]);
    expect(gateOf(client.doc)).toEqual({ required: 2, posted: 0, hiddenCount: 1, isLocked: true });
    const questionComments = Object.values(
      decodedEntries<{ authorId: string }>(client.doc.getMap(ROOT_TYPES.comments)),
    );
    expect(questionComments.map((comment) => comment.authorId)).toEqual([seminar.instructor.id]);

    // Classmates keep writing while the student is connected: the count changes, the words stay out.
    await startThread(classmate, seminar, {
      kind: "HIGHLIGHT",
      phrase: "raging dogs that must be brought down",
    });
    await reply(classmate, classmateThread, `${secret} second reply`);
    await waitFor(() => gateOf(client.doc).hiddenCount === 2, "the hidden count to reach 2");

    // The student's own words arrive; the second one opens the gate.
    const own = `own-${randomUUID()}`;
    await startThread(student, seminar, {
      kind: "COMMENT",
      phrase: "raging dogs that must be brought down",
      text: own,
    });
    await waitFor(() => gateOf(client.doc).posted === 1, "the student's first annotation to count");
    expect(raw.frames.some((frame) => containsBytes(frame, own))).toBe(true);
    await reply(student, questionId, `${own} answer`);
    await waitFor(() => gateOf(client.doc).isLocked === false, "the gate to open");

    await syncFully(raw);
    expect(raw.frames.some((frame) => containsBytes(frame, question))).toBe(true);
    expect(raw.frames.filter((frame) => containsBytes(frame, secret))).toEqual([]);
    expect(raw.frames.filter((frame) => containsBytes(frame, "classmate-"))).toEqual([]);

    // Now the seminar room lets them in, with the classmate's words.
    const seminarClient = await connectClient(harness, seminarRoom, { cookie: studentCookie });
    expect(seminarClient.doc.getMap(ROOT_TYPES.annotations).has(classmateThread)).toBe(true);
    seminarClient.destroy();
    client.destroy();
    raw.ws.close();
  }, 90_000);

  it("closes a student's seminar socket when the instructor turns the gate on, and opens it again when off", async () => {
    const { student, seminarRoom, viewRoom, setGate, cookie } = await gatedSeminar(null);
    const studentCookie = await cookie(student);
    const before = await openSocket(harness, seminarRoom, studentCookie);
    await syncFully(before);

    await setGate(1);
    expect(await closeCode(before)).toBe(4403);
    const view = await connectClient(harness, viewRoom, { cookie: studentCookie });
    expect(gateOf(view.doc)).toMatchObject({ required: 1, posted: 0, isLocked: true });

    await setGate(null);
    await waitFor(() => gateOf(view.doc).isLocked === false, "the view room to say the gate is off");
    const after = await connectClient(harness, seminarRoom, { cookie: studentCookie });
    after.destroy();
    view.destroy();
  });

  it("refuses a gate that is not a whole number between 1 and 50", async () => {
    const { setGate } = await gatedSeminar(null);
    await expect(setGate(0)).rejects.toThrow("at least 1");
    await expect(setGate(51)).rejects.toThrow("at most 50");
    await expect(setGate(1.5)).rejects.toThrow("whole number");
  });
});
