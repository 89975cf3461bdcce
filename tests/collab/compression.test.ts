/**
 * permessage-deflate on the collab socket (server/collab/compression.ts), against a real
 * collab server with real `ws` and y-websocket clients: a large first sync arrives
 * compressed and whole; clients that offer no bounded window, or no compression, are
 * admitted and served plainly; a compressed frame that would unpack past the payload
 * limit is closed with 1009 while everyone else carries on.
 */
import type net from "node:net";
import WebSocket from "ws";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roomName, ROOT_TYPES } from "../../lib/shared/rooms";
import { CloseCode } from "../../lib/shared/close-codes";
import { connectClient, sessionCookie, startCollab, waitFor, type CollabHarness } from "../helpers/collab";
import { buildSeminar } from "../helpers/factories";
import { configurationFromEnv } from "../../server/collab/config";
import { seedReading } from "../helpers/large-discussion";
import { decodeFrame, queryAwarenessMessage, syncStep1 } from "./protocol-kit";

/** Low enough that the essay's text room (~10 KB of text) is sent compressed. */
const THRESHOLD = 1024;
const MAX_PAYLOAD = 256 * 1024;

let harness: CollabHarness;
let plainHarness: CollabHarness;
let cookie: string;
let textRoom: string;

beforeAll(async () => {
  harness = await startCollab({ compressAboveBytes: THRESHOLD, maxPayloadBytes: MAX_PAYLOAD });
  plainHarness = await startCollab({ compressAboveBytes: 0 });
  const seminar = await buildSeminar();
  cookie = (await sessionCookie(seminar.instructor)).cookie;
  textRoom = roomName({ kind: "text", documentId: seminar.documentId as string });
});

afterAll(async () => {
  await harness?.close();
  await plainHarness?.close();
});

/** Bytes the socket has read off the wire so far (frames as sent, compressed or not). */
function wireBytes(ws: WebSocket): number {
  return (ws as unknown as { _socket: net.Socket })._socket.bytesRead;
}

/** A raw socket asking for the whole room; resolves once its sync step 2 arrived. */
async function syncRaw(
  target: CollabHarness,
  room: string,
  perMessageDeflate: WebSocket.ClientOptions["perMessageDeflate"],
): Promise<{ ws: WebSocket; messageBytes: number; wire: number }> {
  const ws = new WebSocket(`${target.url}/${room}`, {
    headers: { cookie, origin: target.origin },
    perMessageDeflate,
  });
  let messageBytes = 0;
  let isSynced = false;
  ws.on("message", (data: Buffer) => {
    messageBytes += data.byteLength;
    if (data[0] === 0 && data[1] === 1) isSynced = true;
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("unexpected-response", (_request, response) =>
      reject(new Error(`the upgrade was refused with ${response.statusCode}`)),
    );
  });
  ws.send(syncStep1());
  await waitFor(() => isSynced, `a raw client of ${room} to sync`);
  return { ws, messageBytes, wire: wireBytes(ws) };
}

describe("permessage-deflate", () => {
  it("sends a large first sync compressed to a y-websocket client, which gets the whole text", async () => {
    const compressed = await connectClient(harness, textRoom, { cookie });
    const plain = await connectClient(plainHarness, textRoom, { cookie });
    try {
      const socket = compressed.provider.ws as unknown as WebSocket;
      expect(socket.extensions).toBe("permessage-deflate");
      expect((plain.provider.ws as unknown as WebSocket).extensions).toBe("");
      const text = (doc: Y.Doc) => doc.getXmlFragment(ROOT_TYPES.text).toJSON();
      expect(text(compressed.doc).length).toBeGreaterThan(5_000);
      expect(text(compressed.doc)).toBe(text(plain.doc));

      const state = Y.encodeStateAsUpdate(compressed.doc).byteLength;
      // The whole state arrived in far fewer bytes than it weighs; plainly, in at least as many.
      expect(wireBytes(socket)).toBeLessThan(state / 2);
      expect(wireBytes(plain.provider.ws as unknown as WebSocket)).toBeGreaterThan(state);
    } finally {
      compressed.destroy();
      plain.destroy();
    }
  });

  it("serves without compression a client whose offer leaves the window unbounded, asks for less than the server uses, or is not made", async () => {
    for (const perMessageDeflate of [
      { clientMaxWindowBits: false as unknown as number },
      { clientMaxWindowBits: 9 },
      { serverMaxWindowBits: 10 },
      // And one that offers no compression at all, as before.
      false as const,
    ]) {
      const { ws, messageBytes, wire } = await syncRaw(harness, textRoom, perMessageDeflate);
      try {
        expect(ws.extensions).toBe("");
        expect(wire).toBeGreaterThan(messageBytes);
      } finally {
        ws.terminate();
      }
    }
  });

  it("closes with 1009 a compressed frame that unpacks past the payload limit, and serves the next client", async () => {
    const { ws } = await syncRaw(harness, textRoom, { threshold: 0 });
    expect(ws.extensions).toBe("permessage-deflate");
    const written = (ws as unknown as { _socket: net.Socket })._socket.bytesWritten;
    const closed = new Promise<number>((resolve) => ws.on("close", (code) => resolve(code)));
    // An update message of zeros: a few KB compressed, four times the limit unpacked.
    const bomb = new Uint8Array(4 * MAX_PAYLOAD);
    bomb[0] = 0;
    bomb[1] = 2;
    ws.send(bomb);
    expect(await closed).toBe(CloseCode.MESSAGE_TOO_BIG);
    // What crossed the wire was far below the limit: the server judged the frame by what it unpacks to.
    expect((ws as unknown as { _socket: net.Socket })._socket.bytesWritten - written).toBeLessThan(
      MAX_PAYLOAD / 8,
    );

    const next = await connectClient(harness, textRoom, { cookie });
    try {
      expect(next.doc.getXmlFragment(ROOT_TYPES.text).length).toBeGreaterThan(0);
    } finally {
      next.destroy();
    }
  });

  it("is turned off, or its threshold set, by MARGINALIA_COLLAB_COMPRESS_ABOVE_BYTES", () => {
    const off = configurationFromEnv({
      MARGINALIA_COLLAB_COMPRESS_ABOVE_BYTES: 0,
      MARGINALIA_TRUSTED_PROXIES: [],
    });
    expect(off.compressAboveBytes).toBe(0);
    const unset = configurationFromEnv({ MARGINALIA_TRUSTED_PROXIES: [] });
    expect("compressAboveBytes" in unset).toBe(false);
  });

  it("does not close a reader whose first sync is larger than the send-buffer limit when presence follows it", async () => {
    // A seminar room of ~270 KB against a 64 KB limit: the sync goes out compressed, and `ws`
    // counts it at full size until it is compressed and written.
    const limited = await startCollab({ compressAboveBytes: THRESHOLD, maxBufferedBytes: 64 * 1024 });
    const reading = await seedReading(300);
    const room = roomName({ kind: "seminar", seminarId: reading.seminarId, documentId: reading.documentId });
    const readerCookie = (await sessionCookie(reading.instructor)).cookie;
    const present = await connectClient(limited, room, { cookie: readerCookie });
    try {
      present.provider.awareness.setLocalStateField("cursor", null);
      const ws = new WebSocket(`${limited.url}/${room}`, {
        headers: { cookie: readerCookie, origin: limited.origin },
      });
      const kinds: string[] = [];
      let closedWith: number | null = null;
      ws.on("message", (data: Buffer) => kinds.push(decodeFrame(new Uint8Array(data)).type));
      ws.on("close", (code) => (closedWith = code));
      await new Promise<void>((resolve) => ws.once("open", () => resolve()));
      expect(ws.extensions).toBe("permessage-deflate");
      // The whole room, then at once the room's presence: answered while the sync is still being compressed.
      ws.send(syncStep1());
      ws.send(queryAwarenessMessage());
      await waitFor(
        () => kinds.includes("sync-step2") && kinds.lastIndexOf("awareness") > kinds.indexOf("sync-step2"),
        `the sync and then presence (got ${kinds.join(", ")}; closed with ${closedWith})`,
      );
      expect(closedWith).toBeNull();
      ws.terminate();
    } finally {
      present.destroy();
      await limited.close();
    }
  });
});
