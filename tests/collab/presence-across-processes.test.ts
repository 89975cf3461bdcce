/**
 * Presence across processes (docs/adr/0020-several-processes.md): two collab servers in this
 * process and one in a child process share one Postgres and one Redis. Awareness written on
 * one reaches members on the others with the same identity overwrite, ownership and size
 * bounds as within one process; a departed client goes at once, and every client of a
 * process killed with SIGKILL within the documented bound (presenceTtlMs + presenceHeartbeatMs).
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roomName } from "../../lib/shared/rooms";
import { encodeAwarenessUpdate } from "../../server/collab/awareness-filter";
import { buildSeminar, buildUser } from "../helpers/factories";
import {
  connectClient,
  sessionCookie,
  startCollab,
  waitFor,
  type CollabHarness,
  type RawSocket,
} from "../helpers/collab";
import { startCollabProcess, type CollabProcess } from "../helpers/collab-process";
import {
  awarenessMessage,
  caret,
  caretMarker,
  containsBytes,
  decodeFrame,
  openSocket,
  type AwarenessState,
} from "./protocol-kit";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const presenceConfig = { redisUrl: REDIS_URL, presenceHeartbeatMs: 500, presenceTtlMs: 2000 };

/** An identity as a process would have written it (the receiving process checks there is one). */
const ROGUE = { id: "rogue", name: "Rogue", color: "#123456", role: null };

let first: CollabHarness;
let second: CollabHarness;
let child: CollabProcess;
let speaker: Awaited<ReturnType<typeof buildUser>>;
let listener: Awaited<ReturnType<typeof buildUser>>;
let speakerCookie: string;
let listenerCookie: string;

beforeAll(async () => {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0 });
  probe.on("error", () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    throw new Error(
      `Redis is not reachable at ${REDIS_URL} (${String(error)}): install and start it ` +
        "(apt-get install redis-server; redis-server --daemonize yes) or set REDIS_URL.",
    );
  } finally {
    probe.disconnect();
  }
  first = await startCollab(presenceConfig);
  second = await startCollab(presenceConfig);
  child = await startCollabProcess({ config: presenceConfig });
  speaker = await buildUser({ name: "Speaker" });
  listener = await buildUser({ name: "Listener" });
  speakerCookie = (await sessionCookie(speaker)).cookie;
  listenerCookie = (await sessionCookie(listener)).cookie;
});
afterAll(async () => {
  await child?.kill();
  await Promise.all([first?.close(), second?.close()]);
});

async function newSeminarRoom() {
  const seminar = await buildSeminar({ students: [speaker, listener] });
  return roomName({ kind: "seminar", seminarId: seminar.id, documentId: seminar.documentId as string });
}

function awarenessEntries(socket: RawSocket): (AwarenessState & { frame: number })[] {
  return socket.frames.flatMap((frame, index) => {
    const decoded = decodeFrame(frame);
    return decoded.type === "awareness" ? decoded.states.map((state) => ({ ...state, frame: index })) : [];
  });
}

function lastEntry(socket: RawSocket, clientId: number) {
  return awarenessEntries(socket)
    .filter((entry) => entry.clientId === clientId)
    .at(-1);
}

describe("presence across processes", () => {
  it("reaches a member on another process with the session's identity, not the one the client wrote", async () => {
    const room = await newSeminarRoom();
    const observer = await openSocket(second, room, listenerCookie);
    const spoofer = await connectClient(first, room, { cookie: speakerCookie });
    spoofer.provider.awareness.setLocalStateField("user", { name: "Admin", id: "someone-else" });
    spoofer.provider.awareness.setLocalStateField("cursor", caret("spoofer"));

    const clientId = spoofer.doc.clientID;
    await waitFor(() => lastEntry(observer, clientId)?.state?.cursor !== undefined, "the presence on B");
    expect(lastEntry(observer, clientId)?.state?.user).toEqual(
      expect.objectContaining({ id: speaker.id, name: "Speaker", role: "STUDENT" }),
    );
    expect(observer.frames.some((frame) => containsBytes(frame, "someone-else"))).toBe(false);

    // A departure is published at the next flush, not left to a timeout.
    spoofer.destroy();
    await waitFor(() => lastEntry(observer, clientId)?.state === null, "the departure on B", 2000);
    observer.ws.close();
  });

  it("tells a member who joins on another process everyone already present", async () => {
    const room = await newSeminarRoom();
    const present = await connectClient(first, room, { cookie: speakerCookie });
    present.provider.awareness.setLocalStateField("cursor", caret("here before you"));
    // The room is not loaded on the child yet: it asks the others when it loads it.
    const newcomer = await openSocket({ url: child.url, origin: child.origin }, room, listenerCookie);
    await waitFor(
      () => caretMarker(lastEntry(newcomer, present.doc.clientID)?.state) === "here before you",
      "the presence of a member on another process",
    );
    present.destroy();
    newcomer.ws.close();
  });

  it("refuses another user's claim on a client id that a member on another process owns", async () => {
    const room = await newSeminarRoom();
    const observer = await openSocket(second, room, speakerCookie);
    const owner = await connectClient(first, room, { cookie: speakerCookie });
    owner.provider.awareness.setLocalStateField("cursor", caret("the owner's"));
    const victim = owner.doc.clientID;
    await waitFor(
      () => caretMarker(lastEntry(observer, victim)?.state) === "the owner's",
      "the owner's presence",
    );

    const impostor = await openSocket(second, room, listenerCookie);
    impostor.send(awarenessMessage([{ clientId: victim, clock: 1000, state: { cursor: caret("spoofed") } }]));
    impostor.send(awarenessMessage([{ clientId: victim, clock: 1001, state: null }]));
    const own = victim === 1 ? 2 : 1;
    impostor.send(
      awarenessMessage([{ clientId: own, clock: 1, state: { cursor: caret("the impostor's own") } }]),
    );
    await waitFor(() => lastEntry(observer, own) !== undefined, "the impostor's own presence");
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(observer.frames.some((frame) => containsBytes(frame, "spoofed"))).toBe(false);
    expect(caretMarker(lastEntry(observer, victim)?.state)).toBe("the owner's");
    expect(caretMarker(owner.provider.awareness.getStates().get(victim))).toBe("the owner's");
    owner.destroy();
    for (const socket of [observer, impostor]) socket.ws.close();
  });

  it("drops an oversize state published on Redis by something that is not a well-behaved process", async () => {
    const room = await newSeminarRoom();
    const observer = await openSocket(second, room, listenerCookie);
    const publisher = new Redis(REDIS_URL);
    const publish = (clientId: number, state: Record<string, unknown>) =>
      publisher.publish(
        `marginalia:presence:${room}`,
        JSON.stringify({
          p: "a-rogue-process",
          t: "update",
          u: Buffer.from(encodeAwarenessUpdate([{ clientId, clock: 1, state }])).toString("base64"),
        }),
      );
    await publish(9001, { blob: `OVERSIZE-${"x".repeat(20_000)}` });
    await publish(9002, { user: ROGUE, cursor: caret("small") });
    await waitFor(() => caretMarker(lastEntry(observer, 9002)?.state) === "small", "the small state");
    expect(observer.frames.some((frame) => containsBytes(frame, "OVERSIZE-"))).toBe(false);
    publisher.disconnect();
    observer.ws.close();
  });

  it("keeps only a well-formed cursor of a state published on Redis, and drops one without an identity", async () => {
    const room = await newSeminarRoom();
    const observer = await openSocket(second, room, listenerCookie);
    const publisher = new Redis(REDIS_URL);
    const publish = (clientId: number, clock: number, state: Record<string, unknown>) =>
      publisher.publish(
        `marginalia:presence:${room}`,
        JSON.stringify({
          p: "a-rogue-process",
          t: "update",
          u: Buffer.from(encodeAwarenessUpdate([{ clientId, clock, state }])).toString("base64"),
        }),
      );
    await publish(9101, 1, { user: "not an identity", cursor: caret("no identity") });
    await publish(9102, 1, { user: ROGUE, cursor: "<MALFORMED>", extra: "<EXTRA>" });
    await publish(9103, 1, { user: ROGUE, cursor: caret("well-formed") });
    await waitFor(
      () => caretMarker(lastEntry(observer, 9103)?.state) === "well-formed",
      "the well-formed state",
    );
    expect(lastEntry(observer, 9101)).toBeUndefined();
    expect(lastEntry(observer, 9102)?.state).toEqual({ user: ROGUE });
    expect(
      observer.frames.some((frame) => containsBytes(frame, "MALFORMED") || containsBytes(frame, "EXTRA")),
    ).toBe(false);
    publisher.disconnect();
    observer.ws.close();
  });

  it("coalesces: a burst of 60 updates on one process reaches a member on another in a few frames", async () => {
    const room = await newSeminarRoom();
    const observer = await openSocket(second, room, listenerCookie);
    const sender = await openSocket(first, room, speakerCookie);
    const clientId = 7002;
    for (let clock = 1; clock <= 60; clock++)
      sender.send(awarenessMessage([{ clientId, clock, state: { cursor: caret(clock) } }]));
    await waitFor(() => caretMarker(lastEntry(observer, clientId)?.state) === "60", "the last of the burst");
    const frames = new Set(
      awarenessEntries(observer)
        .filter((entry) => entry.clientId === clientId)
        .map((entry) => entry.frame),
    );
    expect(frames.size).toBeLessThanOrEqual(3);
    for (const socket of [observer, sender]) socket.ws.close();
  });

  it("removes every client of a process killed with SIGKILL within the heartbeat bound, and lets one reconnect elsewhere", async () => {
    const room = await newSeminarRoom();
    const observer = await openSocket(first, room, listenerCookie);
    const doomed = await connectClient({ url: child.url, origin: child.origin }, room, {
      cookie: speakerCookie,
    });
    doomed.provider.awareness.setLocalStateField("cursor", caret("on the doomed process"));
    const clientId = doomed.doc.clientID;
    await waitFor(
      () => caretMarker(lastEntry(observer, clientId)?.state) === "on the doomed process",
      "the presence from the child process",
    );

    await child.kill();
    const killedAt = Date.now();
    const bound = presenceConfig.presenceTtlMs + presenceConfig.presenceHeartbeatMs;
    await waitFor(
      () => lastEntry(observer, clientId)?.state === null,
      "the killed process's presence to go",
      bound + 2000,
    );
    const vanishedAfter = Date.now() - killedAt;
    expect(vanishedAfter).toBeGreaterThanOrEqual(
      presenceConfig.presenceTtlMs - presenceConfig.presenceHeartbeatMs,
    );
    // As a browser's provider does, the same reader (same Yjs client id and awareness clock)
    // comes back through another process: its presence is its own again.
    doomed.provider.disconnect();
    const returning = await connectClient(second, room, {
      cookie: speakerCookie,
      doc: doomed.doc,
      awareness: doomed.provider.awareness,
    });
    returning.provider.awareness.setLocalStateField("cursor", caret("back on another process"));
    await waitFor(
      () => caretMarker(lastEntry(observer, clientId)?.state) === "back on another process",
      "the returning reader's presence",
    );
    returning.destroy();
    doomed.provider.destroy();
    observer.ws.close();
  });

  it("a process without REDIS_URL warns once it sees another collab process's updates", async () => {
    const seminar = await buildSeminar({ students: [listener], ownText: true });
    const room = roomName({ kind: "text", documentId: seminar.documentId as string });
    const alone = await startCollabProcess();
    try {
      const reader = await connectClient({ url: alone.url, origin: alone.origin }, room, {
        cookie: listenerCookie,
      });
      const writer = await connectClient(first, room, {
        cookie: (await sessionCookie(seminar.instructor)).cookie,
      });
      writer.doc.getMap("probe").set("written on another process", 1);
      await waitFor(() => reader.doc.getMap("probe").get("written on another process") === 1, "the update");
      await waitFor(() => alone.stderrTail().includes("REDIS_URL is not set"), "the warning", 5000);
      for (const client of [reader, writer]) client.destroy();
    } finally {
      await alone.kill();
    }
  });
});
