/**
 * Lean threads live (docs/adr/0027), over a real collab server and real y-websocket
 * clients: a reader syncs each thread's first comment and summary, never a reply's
 * words; when someone replies to a thread the reader has open, the reader's room moves
 * that thread's version, and loading its body again (as the reading page does) brings
 * the reply, at the room's version.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withBody } from "../../lib/client/annotations/use-thread-bodies";
import { getThread } from "../../lib/server/annotations/get-thread";
import {
  createSeminarThreadsReader,
  hasUnloadedComments,
  readThreadBody,
  type Thread,
} from "../../lib/shared/annotations/threads";
import { roomName } from "../../lib/shared/rooms";
import { reply, startThread } from "../helpers/discussion";
import { buildSeminar, buildUser } from "../helpers/factories";
import { connectClient, sessionCookie, startCollab, waitFor, type CollabHarness } from "../helpers/collab";
import { containsBytes, decodeFrame, openSocket, syncStep1 } from "./protocol-kit";

let harness: CollabHarness;

beforeAll(async () => {
  harness = await startCollab();
});
afterAll(async () => {
  await harness?.close();
});

describe("lean threads over the websocket", () => {
  it("sends first comments only, and a reply to an open thread reaches the other reader", async () => {
    const ada = await buildUser({ name: "Ada Author" });
    const ben = await buildUser({ name: "Ben Reader" });
    const seminar = await buildSeminar({ students: [ada, ben] });
    const documentId = seminar.documentId as string;
    const room = roomName({ kind: "seminar", seminarId: seminar.id, documentId });
    const opening = `opening-${randomUUID()}`;
    const earlier = `earlier-${randomUUID()}`;
    const later = `later-${randomUUID()}`;
    const threadId = await startThread(ada, seminar, {
      kind: "COMMENT",
      phrase: "raging dogs that must be brought down",
      text: opening,
    });
    await reply(seminar.instructor, threadId, earlier);

    // Every byte a reader receives: the first comment's words, no reply's, before or after.
    const raw = await openSocket(harness, room, (await sessionCookie(ben)).cookie);
    raw.send(syncStep1());
    await waitFor(() => raw.frames.some((frame) => decodeFrame(frame).type === "sync-step2"), "sync step 2");

    const reader = await connectClient(harness, room, { cookie: (await sessionCookie(ben)).cookie });
    try {
      const threads = createSeminarThreadsReader(reader.doc);
      const threadOf = () => threads.read().find((thread) => thread.id === threadId) as Thread;
      expect(threadOf().comments).toHaveLength(1);
      expect(hasUnloadedComments(threadOf())).toBe(true);

      // Ben opens the card: the body has both comments, at the room's version.
      const opened = readThreadBody(await getThread({ userId: ben.id }, threadId));
      expect(opened?.version).toBe(threadOf().summary?.version);
      const shown = withBody(threadOf(), opened ?? undefined);
      expect(shown.comments.map((comment) => comment.body && JSON.stringify(comment.body))).toEqual([
        expect.stringContaining(opening),
        expect.stringContaining(earlier),
      ]);

      // Ada replies; Ben's room moves the thread's version and count, not the words.
      const openedAt = threadOf().summary?.version;
      await reply(ada, threadId, later);
      await waitFor(() => threadOf().summary?.version !== openedAt, "the thread's version to move");
      expect(threadOf().summary).toMatchObject({ commentCount: 3, lastAuthorId: ada.id });
      expect(withBody(threadOf(), opened ?? undefined).comments).toHaveLength(2);

      // So the page loads it again, and the reply is there.
      const reloaded = readThreadBody(await getThread({ userId: ben.id }, threadId));
      expect(reloaded?.version).toBe(threadOf().summary?.version);
      const updated = withBody(threadOf(), reloaded ?? undefined);
      expect(hasUnloadedComments(updated)).toBe(false);
      expect(JSON.stringify(updated.comments.at(-1)?.body)).toContain(later);
      threads.detach();

      await waitFor(
        () => raw.frames.some((frame) => decodeFrame(frame).type === "sync-update"),
        "the raw reader's update",
      );
      expect(raw.frames.some((frame) => containsBytes(frame, opening))).toBe(true);
      for (const words of [earlier, later])
        expect(raw.frames.some((frame) => containsBytes(frame, words))).toBe(false);
    } finally {
      reader.destroy();
      raw.ws.terminate();
    }
  });
});
