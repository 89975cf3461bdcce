import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roomName } from "../../lib/shared/rooms";
import { buildSeminar } from "../helpers/factories";
import { connectClient, sessionCookie, startCollab, waitFor, type CollabHarness } from "../helpers/collab";

let harness: CollabHarness;
beforeAll(async () => {
  harness = await startCollab();
});
afterAll(async () => {
  await harness?.close();
});

describe("edits made while disconnected", () => {
  it("accepts an edit made as the socket reopens, on top of an offline edit not yet sent", async () => {
    const seminar = await buildSeminar({ ownText: true });
    const room = roomName({ kind: "text", documentId: seminar.documentId as string });
    const { cookie } = await sessionCookie(seminar.instructor);
    const writer = await connectClient(harness, room, { cookie });
    const reader = await connectClient(harness, room, { cookie });
    const note = writer.doc.getMap<number>("offline");
    note.set("n", 1);
    await waitFor(
      () => reader.doc.getMap<number>("offline").get("n") === 1,
      "the reader to see the first edit",
    );

    // Offline: the edit stays in the writer's doc until the next sync.
    writer.provider.disconnect();
    note.set("n", 2);
    // The user keeps typing as the socket reopens: y-websocket sends this update at once, before
    // the sync step 2 that carries the offline edit (its parent).
    const onStatus = ({ status }: { status: string }) => {
      if (status !== "connected") return;
      writer.provider.off("status", onStatus);
      note.set("n", 3);
    };
    writer.provider.on("status", onStatus);
    writer.provider.connect();

    await waitFor(
      () => reader.doc.getMap<number>("offline").get("n") === 3 || writer.closes.length > 0,
      "the reader to see the last edit, or the writer to be closed",
    );
    expect(
      writer.closes,
      "the server closed a writer whose edit arrived before its offline parent (update-guard: unknown-parent → 4413, " +
        "final for y-websocket, so the offline edits are never saved)",
    ).toEqual([]);
    expect(reader.doc.getMap<number>("offline").get("n")).toBe(3);
    writer.destroy();
    reader.destroy();
  });
});
