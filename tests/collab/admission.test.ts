/**
 * Admission limits on websocket upgrades (issue 9 §2): per-user and
 * per-address socket caps, upgrade rates per address and per session, and a
 * process-wide cap. Refusals come before the upgrade, as 429 (or 503 for the
 * process cap) with Retry-After, and before any database query: an attempt
 * without a cookie is refused for its rate rather than answered 401. After
 * refusals, everyone within the limits still connects.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { roomName } from "../../lib/shared/rooms";
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
import { openSocket } from "./protocol-kit";

let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let student: Awaited<ReturnType<typeof buildUser>>;
let seminarRoom: string;
let textRoom: string;

beforeAll(async () => {
  student = await buildUser({ name: "Flo Student" });
  seminar = await buildSeminar({ students: [student] });
  seminarRoom = roomName({
    kind: "seminar",
    seminarId: seminar.id,
    documentId: seminar.documentId as string,
  });
  textRoom = roomName({ kind: "text", documentId: seminar.documentId as string });
});

const opened: RawSocket[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.ws.terminate();
});

/** Opens a socket that must be accepted, closed after the test. */
async function accepted(harness: CollabHarness, room: string, cookie: string): Promise<RawSocket> {
  const socket = await openSocket(harness, room, cookie);
  opened.push(socket);
  return socket;
}

/** An upgrade that must be refused: its status, Retry-After and body. */
async function refused(harness: CollabHarness, room: string, cookie?: string) {
  const result = await openRaw(harness, room, { cookie });
  if ("socket" in result) {
    opened.push(result.socket);
    throw new Error(`The upgrade to ${room} was accepted; a refusal was expected.`);
  }
  return result;
}

/** GET /collab/admission as the browser client asks it. */
async function admission(harness: CollabHarness, cookie?: string) {
  const response = await fetch(`http://127.0.0.1:${harness.port}/collab/admission`, {
    headers: cookie ? { cookie } : {},
  });
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    body: (await response.json()) as { isAdmitted: boolean; message?: string },
  };
}

describe("the per-user socket cap", () => {
  let harness: CollabHarness;
  beforeAll(async () => {
    harness = await startCollab({ maxSocketsPerUser: 3, capRetryAfterSeconds: 7 });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it("refuses the user's socket over the cap with 429 and Retry-After, across sessions, and admits again once one closes", async () => {
    const first = (await sessionCookie(student)).cookie;
    const second = (await sessionCookie(student)).cookie;
    await accepted(harness, seminarRoom, first);
    await accepted(harness, textRoom, first);
    expect(await admission(harness, second)).toMatchObject({ status: 200, body: { isAdmitted: true } });
    const third = await accepted(harness, seminarRoom, second);

    const refusal = await refused(harness, seminarRoom, second);
    expect(refusal).toMatchObject({ status: 429, retryAfter: "7" });
    expect(refusal.body).toMatch(/too many connections/i);
    const verdict = await admission(harness, first);
    expect(verdict).toMatchObject({ status: 429, retryAfter: "7", body: { isAdmitted: false } });

    // Someone else is not affected.
    const instructor = (await sessionCookie(seminar.instructor)).cookie;
    await accepted(harness, seminarRoom, instructor);

    third.ws.close();
    await waitFor(
      () => harness.server.metrics().admission.openSockets === 3,
      "the closed socket to be counted out",
    );
    await accepted(harness, seminarRoom, second);
    expect(harness.server.metrics().admission.refused["user-cap"]).toBe(1);
  });

  it("counts upgrades still being decided, so a burst of concurrent attempts cannot pass the cap", async () => {
    await waitFor(
      () => harness.server.metrics().admission.openSockets === 0,
      "the last test's sockets to close",
    );
    const { cookie } = await sessionCookie(student);
    const results = await Promise.all(
      Array.from({ length: 12 }, () => openRaw(harness, seminarRoom, { cookie })),
    );
    const sockets = results.flatMap((result) => ("socket" in result ? [result.socket] : []));
    opened.push(...sockets);
    expect(sockets).toHaveLength(3);
    expect(results.filter((result) => "status" in result && result.status === 429)).toHaveLength(9);
  });
});

describe("upgrade rate limits", () => {
  let harness: CollabHarness;
  beforeAll(async () => {
    harness = await startCollab({
      // One token per 20 s: none refills while the tests run, however slowly.
      upgradeRatePerAddress: { perSecond: 0.05, burst: 6 },
      upgradeRatePerSession: { perSecond: 0.05, burst: 2 },
    });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it("refuses a session's attempts over its rate with 429, while another session still connects", async () => {
    const { cookie } = await sessionCookie(student);
    await accepted(harness, seminarRoom, cookie);
    await accepted(harness, textRoom, cookie);
    const refusal = await refused(harness, seminarRoom, cookie);
    expect(refusal.status).toBe(429);
    expect(Number(refusal.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(harness.server.metrics().admission.refused["session-rate"]).toBe(1);

    const other = (await sessionCookie(seminar.instructor)).cookie;
    await accepted(harness, seminarRoom, other);
  });

  it("refuses an address's attempts over its rate with 429 before reading the cookie", async () => {
    // Four of the address's six tokens went to the test above; these two attempts take the rest.
    const { cookie } = await sessionCookie(seminar.instructor);
    await accepted(harness, textRoom, cookie);
    const withoutCookie = await refused(harness, seminarRoom);
    expect(withoutCookie.status).toBe(401);
    // The address's bucket is empty: no cookie at all still gets 429, not 401, so no session was looked up.
    const refusal = await refused(harness, seminarRoom);
    expect(refusal.status).toBe(429);
    expect(Number(refusal.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(refusal.body).toMatch(/too many connection attempts/i);
    expect(await admission(harness, cookie)).toMatchObject({ status: 429, body: { isAdmitted: false } });
    expect(harness.server.metrics().admission.refused["address-rate"]).toBeGreaterThanOrEqual(1);
  });
});

describe("the process-wide socket cap", () => {
  let harness: CollabHarness;
  beforeAll(async () => {
    harness = await startCollab({ maxSockets: 2, capRetryAfterSeconds: 3 });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it("refuses sockets over the process's cap with 503 and Retry-After, reports it, and admits again once one closes", async () => {
    const cookie = (await sessionCookie(student)).cookie;
    const instructor = (await sessionCookie(seminar.instructor)).cookie;
    const first = await accepted(harness, seminarRoom, cookie);
    await accepted(harness, seminarRoom, instructor);
    const refusal = await refused(harness, seminarRoom, instructor);
    expect(refusal).toMatchObject({ status: 503, retryAfter: "3" });
    expect(await admission(harness, instructor)).toMatchObject({ status: 503, retryAfter: "3" });
    expect(harness.server.metrics().admission).toMatchObject({
      openSockets: 2,
      socketLimit: 2,
      refused: { "process-cap": 1 },
    });

    first.ws.close();
    await waitFor(
      () => harness.server.metrics().admission.openSockets === 1,
      "the closed socket to be counted out",
    );
    const client = await connectClient(harness, seminarRoom, { cookie });
    expect(client.closes).toEqual([]);
    client.destroy();
  });
});

describe("the derived process cap", () => {
  let harness: CollabHarness;
  beforeAll(async () => {
    harness = await startCollab({ fileDescriptorReserve: 100 });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it("is the open-file limit less the reserve, and the metrics say both", async () => {
    const { readFileSync } = await import("node:fs");
    const line = /^Max open files\s+(\d+)/m.exec(readFileSync("/proc/self/limits", "utf8"));
    if (!line)
      throw new Error("This test reads /proc/self/limits (Linux); it found no numeric 'Max open files'.");
    const limit = Number(line[1]);
    expect(harness.server.metrics().admission).toMatchObject({
      fileDescriptorLimit: limit,
      socketLimit: limit - Math.min(100, Math.floor(limit / 4)),
    });
  });
});
