/**
 * Awareness (presence, selections; docs/architecture.md §6): the server overwrites `user`
 * with the session's identity, accepts only client ids the connection owns,
 * bounds the size of a state, coalesces fan-out, and relays presence in
 * seminar rooms only. A raw socket listens, so every frame is counted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keepPresenceAcrossReconnects } from "../../lib/client/collab/presence";
import { roomName } from "../../lib/shared/rooms";
import { buildSeminar, buildUser } from "../helpers/factories";
import {
  connectClient,
  sessionCookie,
  startCollab,
  waitFor,
  type CollabHarness,
  type RawSocket,
} from "../helpers/collab";
import {
  awarenessMessage,
  caret,
  caretMarker,
  containsBytes,
  decodeFrame,
  openSocket,
  queryAwarenessMessage,
  syncStep1,
  type AwarenessState,
} from "./protocol-kit";

let harness: CollabHarness;
let speaker: Awaited<ReturnType<typeof buildUser>>;
let listener: Awaited<ReturnType<typeof buildUser>>;
let speakerCookie: string;
let listenerCookie: string;

beforeAll(async () => {
  harness = await startCollab({ awarenessFlushMs: 100 });
  speaker = await buildUser({ name: "Speaker" });
  listener = await buildUser({ name: "Listener" });
  speakerCookie = (await sessionCookie(speaker)).cookie;
  listenerCookie = (await sessionCookie(listener)).cookie;
});
afterAll(async () => {
  await harness?.close();
});

/** The seminar room of a new seminar both users belong to (a room of its own per test: no cross-talk). */
async function newSeminarRoom() {
  const seminar = await buildSeminar({ students: [speaker, listener] });
  return roomName({ kind: "seminar", seminarId: seminar.id, documentId: seminar.documentId as string });
}

/** Every awareness entry a raw socket received, in order, with the index of its frame. */
function awarenessEntries(socket: RawSocket): (AwarenessState & { frame: number })[] {
  return socket.frames.flatMap((frame, index) => {
    const decoded = decodeFrame(frame);
    return decoded.type === "awareness" ? decoded.states.map((state) => ({ ...state, frame: index })) : [];
  });
}

/** The last state a raw socket was told for `clientId` (undefined: never told). */
function lastState(socket: RawSocket, clientId: number) {
  return awarenessEntries(socket)
    .filter((entry) => entry.clientId === clientId)
    .at(-1)?.state;
}

/** Resolves once the server has handled everything `socket` sent before (messages are handled in order). */
async function roundTrip(socket: RawSocket) {
  const before = socket.frames.length;
  socket.send(syncStep1());
  await waitFor(
    () => socket.frames.slice(before).some((frame) => decodeFrame(frame).type === "sync-step2"),
    "the server to answer sync step 1",
  );
}

describe("awareness", () => {
  it("passes on only a cursor of the caret shape: malformed ones and unknown fields never reach other readers", async () => {
    const room = await newSeminarRoom();
    const observer = await openSocket(harness, room, listenerCookie);
    const reader = await connectClient(harness, room, { cookie: listenerCookie });
    const hostile = await connectClient(harness, room, { cookie: speakerCookie });
    const clientId = hostile.doc.clientID;
    const position = { type: { client: 1, clock: 2 }, assoc: 0 };
    const malformed: unknown[] = [
      "<MALFORMED-string>",
      42,
      ["<MALFORMED-array>"],
      { anchor: "<MALFORMED-anchor>", head: "<MALFORMED-head>" },
      { anchor: position },
      { anchor: position, head: null },
      { anchor: position, head: { item: "<MALFORMED-item>" } },
      { anchor: position, head: { item: { client: -1, clock: 0 } } },
      { anchor: position, head: { tname: "x".repeat(65) } },
      { anchor: position, head: position, extra: "<MALFORMED-extra>" },
      { anchor: { ...position, extra: "<MALFORMED-key>" }, head: position },
    ];
    for (const cursor of malformed) {
      hostile.provider.awareness.setLocalStateField("cursor", cursor);
      hostile.provider.awareness.setLocalStateField("note", "<MALFORMED-field>");
      const clock = hostile.provider.awareness.meta.get(clientId)?.clock ?? 0;
      await waitFor(
        () => awarenessEntries(observer).some((entry) => entry.clientId === clientId && entry.clock >= clock),
        `the state with ${JSON.stringify(cursor)}`,
      );
      // The state itself arrives, with the server's identity and nothing else.
      expect(Object.keys(lastState(observer, clientId) ?? {})).toEqual(["user"]);
      expect(lastState(observer, clientId)?.user).toEqual(expect.objectContaining({ id: speaker.id }));
    }
    // The well-formed caret still travels, to the raw socket and to a real client.
    hostile.provider.awareness.setLocalStateField("cursor", caret("well-formed"));
    await waitFor(
      () => caretMarker(lastState(observer, clientId)) === "well-formed",
      "the well-formed caret",
    );
    await waitFor(
      () => caretMarker(reader.provider.awareness.getStates().get(clientId)) === "well-formed",
      "the reader to see the well-formed caret",
    );
    expect(observer.frames.some((frame) => containsBytes(frame, "MALFORMED"))).toBe(false);
    expect(Object.keys(reader.provider.awareness.getStates().get(clientId) ?? {}).sort()).toEqual([
      "cursor",
      "user",
    ]);
    hostile.destroy();
    reader.destroy();
    observer.ws.close();
  });

  it("replaces a spoofed user field with the session's name and id", async () => {
    const room = await newSeminarRoom();
    const observer = await openSocket(harness, room, listenerCookie);
    const spoofer = await connectClient(harness, room, { cookie: speakerCookie });
    spoofer.provider.awareness.setLocalStateField("user", { name: "Admin", id: "someone-else" });
    spoofer.provider.awareness.setLocalStateField("cursor", caret("spoofer"));

    const clientId = spoofer.doc.clientID;
    await waitFor(() => lastState(observer, clientId)?.cursor !== undefined, "the spoofer's presence");
    expect(lastState(observer, clientId)?.user).toEqual(
      expect.objectContaining({ id: speaker.id, name: "Speaker", role: "STUDENT" }),
    );
    expect(observer.frames.some((frame) => containsBytes(frame, "someone-else"))).toBe(false);
    expect(observer.frames.some((frame) => containsBytes(frame, '"Admin"'))).toBe(false);
    spoofer.destroy();
    observer.ws.close();
  });

  it("ignores a client announcing, or removing, another connection's client id", async () => {
    const room = await newSeminarRoom();
    const observer = await openSocket(harness, room, listenerCookie);
    const owner = await connectClient(harness, room, { cookie: speakerCookie });
    owner.provider.awareness.setLocalStateField("cursor", caret("the owner's"));
    const victim = owner.doc.clientID;
    await waitFor(() => caretMarker(lastState(observer, victim)) === "the owner's", "the owner's presence");

    const impostor = await openSocket(harness, room, listenerCookie);
    impostor.send(awarenessMessage([{ clientId: victim, clock: 1000, state: { cursor: caret("spoofed") } }]));
    impostor.send(awarenessMessage([{ clientId: victim, clock: 1001, state: null }]));
    const own = victim === 1 ? 2 : 1;
    impostor.send(
      awarenessMessage([{ clientId: own, clock: 1, state: { cursor: caret("the impostor's own") } }]),
    );
    await roundTrip(impostor);
    await waitFor(() => lastState(observer, own) !== undefined, "the impostor's own presence");

    expect(observer.frames.some((frame) => containsBytes(frame, "spoofed"))).toBe(false);
    expect(caretMarker(lastState(observer, victim))).toBe("the owner's");
    expect(lastState(observer, own)?.user).toEqual(expect.objectContaining({ id: listener.id }));
    expect(caretMarker(owner.provider.awareness.getStates().get(victim))).toBe("the owner's");
    owner.destroy();
    for (const socket of [observer, impostor]) socket.ws.close();
  });

  it("drops an oversize awareness state and relays the next small one", async () => {
    const room = await newSeminarRoom();
    const observer = await openSocket(harness, room, listenerCookie);
    const sender = await openSocket(harness, room, speakerCookie);
    const clientId = 7001;
    sender.send(
      awarenessMessage([{ clientId, clock: 1, state: { blob: `OVERSIZE-${"x".repeat(20_000)}` } }]),
    );
    await roundTrip(sender);
    // A flush interval apart, so the small state cannot hide the big one by coalescing.
    await new Promise((resolve) => setTimeout(resolve, 250));
    sender.send(awarenessMessage([{ clientId, clock: 2, state: { cursor: caret("small") } }]));
    await waitFor(() => caretMarker(lastState(observer, clientId)) === "small", "the small state");

    expect(observer.frames.some((frame) => containsBytes(frame, "OVERSIZE-"))).toBe(false);
    expect(awarenessEntries(observer).filter((entry) => entry.clientId === clientId)).toHaveLength(1);
    for (const socket of [observer, sender]) socket.ws.close();
  });

  it("coalesces fan-out: a burst of 60 updates reaches a listener in a frame or two", async () => {
    const room = await newSeminarRoom();
    const observer = await openSocket(harness, room, listenerCookie);
    const sender = await openSocket(harness, room, speakerCookie);
    const clientId = 7002;
    for (let clock = 1; clock <= 60; clock++)
      sender.send(awarenessMessage([{ clientId, clock, state: { cursor: caret(clock) } }]));
    await waitFor(() => caretMarker(lastState(observer, clientId)) === "60", "the last of the burst");

    const frames = new Set(
      awarenessEntries(observer)
        .filter((entry) => entry.clientId === clientId)
        .map((entry) => entry.frame),
    );
    // One socket's burst is handled within one flush interval, or straddles two.
    expect(frames.size).toBeLessThanOrEqual(3);
    for (const socket of [observer, sender]) socket.ws.close();
  });

  it("coalesces fan-out: updates spread over time reach a listener at most about once per 100 ms", async () => {
    const room = await newSeminarRoom();
    const observer = await openSocket(harness, room, listenerCookie);
    const sender = await openSocket(harness, room, speakerCookie);
    const clientId = 7003;
    const started = performance.now();
    for (let clock = 1; clock <= 40; clock++) {
      sender.send(awarenessMessage([{ clientId, clock, state: { cursor: caret(clock) } }]));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await waitFor(() => caretMarker(lastState(observer, clientId)) === "40", "the last update");
    const elapsed = performance.now() - started;

    const frames = new Set(
      awarenessEntries(observer)
        .filter((entry) => entry.clientId === clientId)
        .map((entry) => entry.frame),
    );
    // Flushes are at least 100 ms apart and all fall inside `elapsed`; +1 for a timer firing a hair early.
    expect(frames.size).toBeLessThanOrEqual(Math.floor(elapsed / 100) + 1);
    expect(frames.size).toBeLessThan(40 / 2);
    for (const socket of [observer, sender]) socket.ws.close();
  });

  it("a reader whose socket dropped is present again as soon as it reconnects, and sees the others again", async () => {
    const room = await newSeminarRoom();
    // Two readers with the page's reconnect handling (room-provider.ts applies it to every room),
    // idle: neither state changes after it is first set, so only the reconnect can bring it back.
    const [returning, staying] = await Promise.all([
      connectClient(harness, room, { cookie: speakerCookie }),
      connectClient(harness, room, { cookie: listenerCookie }),
    ]);
    for (const client of [returning, staying]) keepPresenceAcrossReconnects(client.provider);
    returning.provider.awareness.setLocalStateField("cursor", caret("the returning reader's"));
    staying.provider.awareness.setLocalStateField("cursor", caret("the staying reader's"));
    const seen = (by: typeof returning, of: typeof returning) =>
      caretMarker(by.provider.awareness.getStates().get(of.doc.clientID));
    await waitFor(() => seen(staying, returning) === "the returning reader's", "each to see the other");
    await waitFor(() => seen(returning, staying) === "the staying reader's", "each to see the other");

    returning.provider.disconnect();
    await waitFor(() => seen(staying, returning) === undefined, "the server to remove the dropped reader");
    returning.provider.connect();
    // Well inside the 15 s after which y-protocols renews an unchanged state on its own, which
    // used to be the only way back (the reconnect re-sent the state at the clock already removed).
    await waitFor(
      () => seen(staying, returning) === "the returning reader's",
      "the returning reader's presence, seen by the other",
      5000,
    );
    await waitFor(
      () => seen(returning, staying) === "the staying reader's",
      "the other's presence, seen again by the returning reader",
      5000,
    );
    for (const client of [returning, staying]) client.destroy();
  });

  it("relays no awareness at all in a text room (presence lives in seminar rooms)", async () => {
    const seminar = await buildSeminar({ students: [speaker, listener] });
    const room = roomName({ kind: "text", documentId: seminar.documentId as string });
    const observer = await openSocket(harness, room, listenerCookie);
    const sender = await openSocket(harness, room, speakerCookie);
    sender.send(awarenessMessage([{ clientId: 7004, clock: 1, state: { cursor: caret("in the text") } }]));
    await roundTrip(sender);
    // Longer than a flush interval: a relayed state would have arrived.
    await new Promise((resolve) => setTimeout(resolve, 300));
    observer.send(queryAwarenessMessage());
    sender.send(queryAwarenessMessage());
    await roundTrip(observer);
    await roundTrip(sender);

    expect(awarenessEntries(observer)).toEqual([]);
    expect(awarenessEntries(sender)).toEqual([]);
    for (const socket of [observer, sender]) socket.ws.close();
  });
});
