/**
 * Explicit limits per connection (docs/architecture.md §6): the protocol is binary, frames
 * are bounded, messages are rate-limited, and a reader that cannot keep up is
 * cut off before it holds the room's memory. Each limit closes that one
 * socket with its named code; everyone else carries on.
 */
import type { Socket } from "node:net";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roomName } from "../../lib/shared/rooms";
import { buildSeminar } from "../helpers/factories";
import {
  connectClient,
  sessionCookie,
  startCollab,
  waitFor,
  type CollabHarness,
  type RawSocket,
} from "../helpers/collab";
import { awarenessMessage, closeCode, openSocket, updateMessage } from "./protocol-kit";

let harness: CollabHarness;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let cookie: string;
let notesRoom: string;

beforeAll(async () => {
  harness = await startCollab({
    maxPayloadBytes: 256 * 1024,
    maxBufferedBytes: 64 * 1024,
    updateRate: { perSecond: 1, burst: 5 },
    awarenessRate: { perSecond: 1, burst: 5 },
  });
  seminar = await buildSeminar({ ownText: true });
  cookie = (await sessionCookie(seminar.instructor)).cookie;
  notesRoom = roomName({
    kind: "notes",
    documentId: seminar.documentId as string,
    userId: seminar.instructor.id,
  });
});
afterAll(async () => {
  await harness?.close();
});

/** An open socket in the instructor's notes room, greeted (the room has loaded). */
async function greeted(room = notesRoom): Promise<RawSocket> {
  const socket = await openSocket(harness, room, cookie);
  await waitFor(() => socket.frames.length > 0, "the greeting");
  return socket;
}

/** A small, valid update from a client of its own. */
function smallUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText("note").insert(0, text);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

describe("limits", () => {
  it("closes a socket that sends a text frame with 1003", async () => {
    const socket = await greeted();
    socket.ws.send("hello");
    expect(await closeCode(socket)).toBe(1003);
  });

  it("closes a socket that sends a frame over maxPayload with 1009", async () => {
    const socket = await greeted();
    socket.send(updateMessage(new Uint8Array(300 * 1024)));
    expect(await closeCode(socket)).toBe(1009);
  });

  it("closes a socket that sends updates faster than its rate with 4429, after accepting its burst", async () => {
    const observer = await connectClient(harness, notesRoom, { cookie });
    const socket = await greeted();
    for (let i = 0; i < 20; i++) socket.send(updateMessage(smallUpdate(`u${i} `)));
    expect(await closeCode(socket)).toBe(4429);
    await waitFor(
      () => observer.doc.getText("note").toJSON().split(" ").filter(Boolean).length >= 5,
      "the burst to reach another client",
    );
    const accepted = observer.doc.getText("note").toJSON().split(" ").filter(Boolean);
    // The burst of 5, and at most a few refilled tokens however slowly the server ran: not all 20.
    expect(accepted.length).toBeLessThanOrEqual(10);
    expect(observer.closes).toEqual([]);
    observer.destroy();
  });

  it("closes a socket that sends presence faster than its rate with 4429", async () => {
    const room = roomName({
      kind: "seminar",
      seminarId: seminar.id,
      documentId: seminar.documentId as string,
    });
    const socket = await greeted(room);
    for (let clock = 1; clock <= 20; clock++)
      socket.send(awarenessMessage([{ clientId: 4242, clock, state: { cursor: clock } }]));
    expect(await closeCode(socket)).toBe(4429);
  });
});

describe("slow readers", () => {
  let slowHarness: CollabHarness;
  beforeAll(async () => {
    slowHarness = await startCollab({
      maxBufferedBytes: 64 * 1024,
      updateByteRate: { perSecond: 64 * 1024 * 1024, burst: 64 * 1024 * 1024 },
    });
  });
  afterAll(async () => {
    await slowHarness?.close();
  });

  it("closes a reader that stops reading with 4508 while the others in the room carry on", async () => {
    const room = roomName({ kind: "text", documentId: seminar.documentId as string });
    const reader = await openSocket(slowHarness, room, cookie);
    await waitFor(() => reader.frames.length > 0, "the greeting");
    // The reader's process stops reading its TCP socket: the server's unsent data piles up.
    const tcp = (reader.ws as unknown as { _socket: Socket })._socket;
    tcp.pause();
    const other = await connectClient(slowHarness, room, { cookie });
    const writer = await connectClient(slowHarness, room, { cookie });

    // Loopback buffers absorb a few MB before the server's own queue grows; 12.5 MB is plenty.
    const chunk = 128 * 1024;
    let written = 0;
    const isCut = () => slowHarness.server.inspect().connections === 2;
    for (let i = 0; i < 100 && !isCut(); i++) {
      // Random letters: nothing along the way can shrink them.
      const text = Array.from({ length: chunk }, () =>
        String.fromCharCode(97 + Math.floor(Math.random() * 26)),
      );
      writer.doc.getText("bulk").insert(0, text.join(""));
      written += chunk;
      await waitFor(() => other.doc.getText("bulk").length === written, "the other reader to keep up");
    }
    expect(isCut()).toBe(true);

    // The reader reads again: what was queued for it, then the close.
    tcp.resume();
    expect(await closeCode(reader)).toBe(4508);
    writer.doc.getText("after").insert(0, "carrying on");
    await waitFor(() => other.doc.getText("after").toJSON() === "carrying on", "the room to carry on");
    expect([...other.closes, ...writer.closes]).toEqual([]);
    for (const client of [other, writer]) client.destroy();
  });
});
