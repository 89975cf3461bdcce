/**
 * `server.metrics()` (the metrics endpoint's numbers): rooms, connections,
 * messages and bytes each way, refused upgrades, and commit latency
 * percentiles. Raw sockets make every count exact.
 */
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roomName } from "../../lib/shared/rooms";
import { buildSeminar } from "../helpers/factories";
import { openRaw, sessionCookie, startCollab, waitFor, type CollabHarness } from "../helpers/collab";
import { decodeFrame, openSocket, syncStep1, updateMessage } from "./protocol-kit";

let harness: CollabHarness;
beforeAll(async () => {
  harness = await startCollab();
});
afterAll(async () => {
  await harness?.close();
});

const UPDATES = 10;

describe("metrics", () => {
  it("starts at zero, with no latency to report", () => {
    expect(harness.server.metrics()).toMatchObject({
      rooms: 0,
      connections: 0,
      totals: { messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, refusedUpgrades: 0, commits: 0 },
      commitLatencyMs: { p50: null, p99: null, max: null, samples: 0 },
      pendingCommits: 0,
    });
  });

  it("counts rooms, connections, messages and bytes, refusals, and reports commit latency percentiles", async () => {
    const seminar = await buildSeminar();
    const { cookie } = await sessionCookie(seminar.instructor);
    const room = roomName({
      kind: "notes",
      documentId: seminar.documentId as string,
      userId: seminar.instructor.id,
    });

    const refused = await openRaw(harness, room, { cookie: undefined });
    expect(refused).toMatchObject({ status: 401 });

    const writer = await openSocket(harness, room, cookie);
    const reader = await openSocket(harness, room, cookie);
    expect(harness.server.metrics()).toMatchObject({ rooms: 1, connections: 2 });

    const sent: Uint8Array[] = [syncStep1(), syncStep1()];
    writer.send(sent[0] as Uint8Array);
    reader.send(sent[1] as Uint8Array);
    const doc = new Y.Doc();
    let vector = Y.encodeStateVector(doc);
    for (let i = 0; i < UPDATES; i++) {
      doc.getText("note").insert(0, `line ${i}\n`);
      const message = updateMessage(Y.encodeStateAsUpdate(doc, vector));
      vector = Y.encodeStateVector(doc);
      writer.send(message);
      sent.push(message);
    }
    // Each: a greeting and an answer to its step 1; the reader also the updates (one frame each,
    // or fewer when the writer's updates queued behind a commit and were merged).
    const readerDoc = new Y.Doc();
    await waitFor(() => {
      for (const frame of reader.frames.slice(2)) {
        const decoded = decodeFrame(frame);
        if (decoded.type === "sync-update") Y.applyUpdate(readerDoc, decoded.update);
      }
      return (
        writer.frames.length === 2 && readerDoc.getText("note").toJSON() === doc.getText("note").toJSON()
      );
    }, "every update to reach the reader");
    expect(reader.frames.length).toBeGreaterThan(2);
    expect(reader.frames.length).toBeLessThanOrEqual(2 + UPDATES);

    const received = [...writer.frames, ...reader.frames];
    const byteLength = (frames: Uint8Array[]) => frames.reduce((sum, frame) => sum + frame.byteLength, 0);
    const metrics = harness.server.metrics();
    expect(metrics.totals).toMatchObject({
      messagesIn: sent.length,
      bytesIn: byteLength(sent),
      messagesOut: received.length,
      bytesOut: byteLength(received),
      refusedUpgrades: 1,
    });
    expect(metrics.totals.commits).toBeGreaterThanOrEqual(1);
    expect(metrics.totals.commits).toBeLessThanOrEqual(UPDATES);

    const latency = metrics.commitLatencyMs;
    expect(latency.samples).toBe(metrics.totals.commits);
    expect(latency.p50).toBeGreaterThan(0);
    expect(latency.p99).toBeGreaterThanOrEqual(latency.p50 as number);
    expect(latency.max).toBeGreaterThanOrEqual(latency.p99 as number);
    expect(metrics.pendingCommits).toBe(0);
    for (const value of Object.values(metrics.perSecond)) expect(value).toBeGreaterThanOrEqual(0);

    for (const socket of [writer, reader]) socket.ws.close();
    await waitFor(() => harness.server.metrics().connections === 0, "both sockets to close");
  });
});
