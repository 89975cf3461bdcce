/**
 * A receive-only room provider (the reading page's seminar room, which only the server
 * writes): the doc keeps no `update` listener of y-websocket's, so Yjs does not encode what
 * the reader applies, and nothing written locally reaches the server; what the server
 * writes still arrives. Over a real collab server and real y-websocket clients.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Y from "yjs";
import { stopSendingLocalUpdates } from "../../lib/client/collab/room-provider";
import { createSeminarThreadsReader } from "../../lib/shared/annotations/threads";
import { ROOT_TYPES, roomName } from "../../lib/shared/rooms";
import { startThread } from "../helpers/discussion";
import { buildSeminar, buildUser } from "../helpers/factories";
import { connectClient, sessionCookie, startCollab, waitFor, type CollabHarness } from "../helpers/collab";

let harness: CollabHarness;

beforeAll(async () => {
  harness = await startCollab();
});
afterAll(async () => {
  await harness?.close();
});

const dropped = () => harness.server.metrics().totals.droppedWrites;

/** How many `update` listeners the doc has: with none, Yjs encodes no update it applies. */
function updateListeners(doc: Y.Doc): number {
  const observers = (doc as unknown as { _observers: Map<string, Set<unknown>> })._observers;
  return observers.get("update")?.size ?? 0;
}

describe("a receive-only room", () => {
  it("sends nothing written locally, keeps no update listener, and still receives the server's writes", async () => {
    const reader = await buildUser({ name: "Rhea Reader" });
    const other = await buildUser({ name: "Oskar Other" });
    const seminar = await buildSeminar({ students: [reader, other] });
    const room = roomName({
      kind: "seminar",
      seminarId: seminar.id,
      documentId: seminar.documentId as string,
    });

    const before = dropped();
    const receiveOnly = await connectClient(harness, room, { cookie: (await sessionCookie(reader)).cookie });
    const ordinary = await connectClient(harness, room, { cookie: (await sessionCookie(other)).cookie });
    try {
      expect(updateListeners(receiveOnly.doc)).toBe(1); // y-websocket's sender of local updates
      stopSendingLocalUpdates(receiveOnly.provider);
      expect(updateListeners(receiveOnly.doc)).toBe(0);
      // Each connection's answer to the server's sync step 1 (no client may write a seminar room).
      await waitFor(() => dropped() >= before + 2, "both connections' sync replies to be dropped");
      const settled = dropped();

      // A local write on each: the ordinary client's is sent (and dropped), the receive-only one's is not.
      receiveOnly.doc.getMap(ROOT_TYPES.annotations).set("local-only", "{}");
      ordinary.doc.getMap(ROOT_TYPES.annotations).set("local-too", "{}");
      await waitFor(() => dropped() >= settled + 1, "the ordinary client's write to be dropped");
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(dropped()).toBe(settled + 1);

      // What the server writes still arrives, and the room's readers see it.
      const threads = createSeminarThreadsReader(receiveOnly.doc);
      const threadId = await startThread(other, seminar, {
        kind: "COMMENT",
        phrase: "raging dogs that must be brought down",
        text: "A thread the server writes",
      });
      await waitFor(
        () => threads.read().some((thread) => thread.id === threadId),
        "the server's write to reach the receive-only client",
      );
      threads.detach();
    } finally {
      receiveOnly.destroy();
      ordinary.destroy();
    }
  });
});
