/**
 * Membership and session changes close the affected sockets (docs/architecture.md §6), in
 * every collab process: the change's transaction NOTIFYs, the server
 * re-checks the connections concerned. 44xx closes are final for the
 * y-websocket client; 4509 asks it to reconnect and pick up its new rights.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { revokeUserSession } from "../../lib/server/auth/sessions";
import { removeMember } from "../../lib/server/seminars/remove-member";
import { updateMemberRole } from "../../lib/server/seminars/update-member-role";
import { roomName } from "../../lib/shared/rooms";
import { buildSeminar, buildUser } from "../helpers/factories";
import {
  connectClient,
  sessionCookie,
  startCollab,
  waitFor,
  type CollabHarness,
  type TestClient,
} from "../helpers/collab";

let harness: CollabHarness;
beforeAll(async () => {
  harness = await startCollab();
});
afterAll(async () => {
  await harness?.close();
});

/** A student in a new seminar, with the names of the seminar's rooms. */
async function studentInSeminar() {
  const student = await buildUser({ name: "Student" });
  const seminar = await buildSeminar({ students: [student] });
  const documentId = seminar.documentId as string;
  return {
    student,
    seminar,
    seminarRoom: roomName({ kind: "seminar", seminarId: seminar.id, documentId }),
    textRoom: roomName({ kind: "text", documentId }),
  };
}

/** Waits long enough for a client that meant to reconnect (backoff ≤ 300 ms in tests) to have tried. */
const pastBackoff = () => new Promise((resolve) => setTimeout(resolve, 900));

const isFinal = (client: TestClient) => !client.provider.shouldConnect && !client.provider.wsconnected;

describe("revocation", () => {
  it("closes a revoked session's sockets with 4401, for good, and only that session's", async () => {
    const { student, seminarRoom, textRoom } = await studentInSeminar();
    const revoked = await sessionCookie(student);
    const other = await sessionCookie(student);
    const inSeminar = await connectClient(harness, seminarRoom, { cookie: revoked.cookie });
    const inText = await connectClient(harness, textRoom, { cookie: revoked.cookie });
    const otherBrowser = await connectClient(harness, seminarRoom, { cookie: other.cookie });

    await revokeUserSession(revoked.sessionId);
    await waitFor(
      () => inSeminar.closes.length > 0 && inText.closes.length > 0,
      "the revoked session's sockets to close",
      5000,
    );
    await pastBackoff();

    for (const client of [inSeminar, inText]) {
      expect(client.closes).toEqual([{ code: 4401, reason: "You signed out." }]);
      expect(isFinal(client)).toBe(true);
    }
    expect(otherBrowser.closes).toEqual([]);
    expect(otherBrowser.provider.wsconnected).toBe(true);
    for (const client of [inSeminar, inText, otherBrowser]) client.destroy();
  });

  it("closes a removed member's seminar-room socket with 4403, for good, and leaves the public text open", async () => {
    const { student, seminar, seminarRoom, textRoom } = await studentInSeminar();
    const { cookie } = await sessionCookie(student);
    const inSeminar = await connectClient(harness, seminarRoom, { cookie });
    const inText = await connectClient(harness, textRoom, { cookie });

    await removeMember({ userId: seminar.instructor.id }, seminar.id, student.id);
    await waitFor(() => inSeminar.closes.length > 0, "the removed member's seminar socket to close", 5000);
    await pastBackoff();

    expect(inSeminar.closes).toEqual([{ code: 4403, reason: "You no longer have access to this reading." }]);
    expect(isFinal(inSeminar)).toBe(true);
    // The essay is a public library text: reading it needs no membership, and nothing about it changed.
    expect(inText.closes).toEqual([]);
    expect(inText.provider.wsconnected).toBe(true);
    for (const client of [inSeminar, inText]) client.destroy();
  });

  it("closes a promoted student's seminar-room socket with 4509 and they reconnect as an instructor; the library text stays read-only", async () => {
    const { student, seminar, seminarRoom, textRoom } = await studentInSeminar();
    const { cookie } = await sessionCookie(student);
    const inSeminar = await connectClient(harness, seminarRoom, { cookie });
    const inText = await connectClient(harness, textRoom, { cookie });

    await updateMemberRole({ userId: seminar.instructor.id }, seminar.id, student.id, { role: "INSTRUCTOR" });
    await waitFor(() => inSeminar.closes.length > 0, "the promoted student's seminar socket to close", 5000);
    expect(inSeminar.closes).toEqual([{ code: 4509, reason: "Your role changed; reconnecting." }]);
    await waitFor(() => inSeminar.provider.synced, "the promoted student to reconnect and sync");

    // Nobody edits a library text live, an instructor no more than a student (docs/adr/0026):
    // the text socket keeps its rights, and stays open.
    await pastBackoff();
    expect(inText.closes).toEqual([]);
    const droppedBefore = harness.server.metrics().totals.droppedWrites;
    inText.doc.getText("margin").insert(0, "written after promotion");
    await waitFor(
      () => harness.server.metrics().totals.droppedWrites > droppedBefore,
      "the server to drop the promoted student's edit of the library text",
    );
    expect(await db.yUpdate.count({ where: { room: textRoom, origin: student.id } })).toBe(0);
    expect(inSeminar.closes).toHaveLength(1);
    for (const client of [inSeminar, inText]) client.destroy();
  });
});
