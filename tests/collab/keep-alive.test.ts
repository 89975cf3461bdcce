/**
 * A y-websocket client closes and reopens a socket that has received no message for 30 s
 * (pings are not messages). A reader of a text room hears nothing there while no one edits
 * the text (presence is not relayed in text rooms), so the server sends a connection that was
 * sent nothing for `keepAliveMs` an awareness message that changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { roomName } from "../../lib/shared/rooms";
import { KEEP_ALIVE } from "../../server/collab/protocol";
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

const isKeepAlive = (frame: Uint8Array) =>
  frame.length === KEEP_ALIVE.length && frame.every((byte, i) => byte === KEEP_ALIVE[i]);

async function textRoomOfNewSeminar() {
  const reader = await buildUser();
  const seminar = await buildSeminar({ students: [reader], ownText: true });
  return {
    room: roomName({ kind: "text", documentId: seminar.documentId as string }),
    reader: (await sessionCookie(reader)).cookie,
    instructor: (await sessionCookie(seminar.instructor)).cookie,
  };
}

describe("a reader of a quiet text room, with the default keep-alive", () => {
  let harness: CollabHarness;
  const opened: string[] = [];
  beforeAll(async () => {
    harness = await startCollab(
      {},
      { log: (event, fields) => event === "open" && opened.push(String(fields.room)) },
    );
  });
  afterAll(async () => harness.close());

  it("stays connected past y-websocket's 30 s of silence", async () => {
    const { room, reader } = await textRoomOfNewSeminar();
    const client = await connectClient(harness, room, { cookie: reader });
    const changes: string[] = [];
    client.provider.on("status", ({ status }: { status: string }) => changes.push(status));
    try {
      await new Promise((resolve) => setTimeout(resolve, 36_000));
      expect(changes, "the reader's socket was closed and reopened").toEqual([]);
      expect(opened.filter((name) => name === room)).toHaveLength(1);
    } finally {
      client.destroy();
    }
  }, 60_000);
});

describe("the keep-alive", () => {
  let harness: CollabHarness;
  beforeAll(async () => {
    harness = await startCollab({ keepAliveMs: 300 });
  });
  afterAll(async () => harness.close());

  async function raw(room: string, cookie: string): Promise<RawSocket> {
    const opened = await openRaw(harness, room, { cookie });
    if (!("socket" in opened)) throw new Error(`refused: ${opened.status} ${opened.body}`);
    return opened.socket;
  }

  it("goes to a quiet connection and changes nothing for a y-websocket client", async () => {
    const { room, reader } = await textRoomOfNewSeminar();
    const socket = await raw(room, reader);
    const client = await connectClient(harness, room, { cookie: reader });
    const before = Y.encodeStateVector(client.doc);
    const awarenessEvents: unknown[] = [];
    client.provider.awareness.on("update", (event: unknown) => awarenessEvents.push(event));
    client.provider.awareness.on("change", (event: unknown) => awarenessEvents.push(event));
    try {
      await waitFor(() => socket.frames.filter(isKeepAlive).length >= 2, "two keep-alives", 5000);
      const heardAt = client.provider.wsLastMessageReceived;
      await waitFor(() => client.provider.wsLastMessageReceived > heardAt, "the client to hear one", 5000);
      expect(awarenessEvents).toEqual([]);
      expect(Y.encodeStateVector(client.doc)).toEqual(before);
      expect(client.provider.wsconnected).toBe(true);
    } finally {
      client.destroy();
      socket.ws.close();
    }
  });

  it("is not sent while the connection hears other messages", async () => {
    const { room, reader, instructor } = await textRoomOfNewSeminar();
    const listener = await raw(room, reader);
    const writer = await connectClient(harness, room, { cookie: instructor });
    const text = writer.doc.getMap<number>("keep-alive-test");
    try {
      // One edit every 100 ms for 1.5 s: the listener is sent each, never quiet for 300 ms.
      const start = listener.frames.length;
      for (let i = 0; i < 15; i++) {
        text.set("n", i);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const heard = listener.frames.slice(start);
      expect(heard.length).toBeGreaterThanOrEqual(10);
      expect(heard.filter(isKeepAlive)).toEqual([]);
    } finally {
      writer.destroy();
      listener.ws.close();
    }
  });
});
