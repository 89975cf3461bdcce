/**
 * A byte of a private note never reaches a browser that may not see it
 * (docs/architecture.md §2), checked at the protocol level: everyone else in the seminar,
 * connected to every room they may open, captures every frame the server
 * sends them, and not one contains the note.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT_TYPES, roomName } from "../../lib/shared/rooms";
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
import {
  caret,
  containsBytes,
  decodeFrame,
  openSocket,
  queryAwarenessMessage,
  syncStep1,
} from "./protocol-kit";

let harness: CollabHarness;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let author: Awaited<ReturnType<typeof buildUser>>;
let classmate: Awaited<ReturnType<typeof buildUser>>;
const cookies: Record<"author" | "classmate" | "instructor", string> = {
  author: "",
  classmate: "",
  instructor: "",
};

beforeAll(async () => {
  harness = await startCollab();
  author = await buildUser({ name: "Author" });
  classmate = await buildUser({ name: "Classmate" });
  seminar = await buildSeminar({ students: [author, classmate] });
  cookies.author = (await sessionCookie(author)).cookie;
  cookies.classmate = (await sessionCookie(classmate)).cookie;
  cookies.instructor = (await sessionCookie(seminar.instructor)).cookie;
});
afterAll(async () => {
  await harness?.close();
});

/** Every room `userId` may open for the seminar's reading: the seminar room, the text, their own notes. */
function roomsOf(userId: string): string[] {
  const documentId = seminar.documentId as string;
  return [
    roomName({ kind: "seminar", seminarId: seminar.id, documentId }),
    roomName({ kind: "text", documentId }),
    roomName({ kind: "notes", documentId, userId }),
  ];
}

/** Asks for the whole state and everyone's presence; resolves once the state has come. */
async function syncFully(socket: RawSocket) {
  const before = socket.frames.length;
  socket.send(syncStep1());
  socket.send(queryAwarenessMessage());
  await waitFor(
    () => socket.frames.slice(before).some((frame) => decodeFrame(frame).type === "sync-step2"),
    "the answer to sync step 1",
  );
}

describe("private notes", () => {
  it("never sends a frame containing a student's private note to the instructor or another student", async () => {
    const marker = `private-note-${randomUUID()}`;
    const notesRoom = roomName({
      kind: "notes",
      documentId: seminar.documentId as string,
      userId: author.id,
    });

    // Everyone else, in every room they may open, listening from before the note exists.
    const observers: { who: string; room: string; socket: RawSocket }[] = [];
    for (const [who, userId] of [
      ["instructor", seminar.instructor.id],
      ["classmate", classmate.id],
    ] as const) {
      for (const room of roomsOf(userId)) {
        const socket = await openSocket(harness, room, cookies[who]);
        await syncFully(socket);
        observers.push({ who, room, socket });
      }
    }
    // The author's own second tab: proof the note does travel, where it may.
    const ownTab = await openSocket(harness, notesRoom, cookies.author);
    await syncFully(ownTab);

    const writer = await connectClient(harness, notesRoom, { cookie: cookies.author });
    writer.doc.getMap(ROOT_TYPES.annotations).set("note-1", { quote: "exile", body: marker });
    writer.provider.awareness.setLocalStateField("cursor", caret(marker));
    await waitFor(
      () => ownTab.frames.filter((frame) => containsBytes(frame, marker)).length >= 2,
      "the author's other tab to receive the note and the presence that names it",
    );

    // Ask again once the note is stored: the whole state of every room, everyone's presence.
    for (const { socket } of observers) await syncFully(socket);
    // Refusals carry no document bytes either.
    for (const who of ["instructor", "classmate"] as const) {
      const result = await openRaw(harness, notesRoom, { cookie: cookies[who] });
      if ("socket" in result) result.socket.ws.terminate();
      const refusal = "socket" in result ? `${who} was let in` : result;
      expect(refusal).toEqual({
        status: 403,
        body: "You may not join this room.",
        bytes: "You may not join this room.".length,
      });
    }

    const leaks = observers
      .filter(({ socket }) => socket.frames.some((frame) => containsBytes(frame, marker)))
      .map(({ who, room }) => `${who} in ${room}`);
    expect(leaks).toEqual([]);
    expect(observers.every(({ socket }) => socket.frames.length >= 2)).toBe(true);

    writer.destroy();
    for (const { socket } of [...observers, { socket: ownTab }]) socket.ws.close();
  });
});
