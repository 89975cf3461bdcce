import type * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { roomName } from "../../lib/shared/rooms";
import { buildSeminar } from "../helpers/factories";
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

/** A deterministic random source, so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe("convergence", () => {
  it("5 writers making random edits with random disconnects end with the same text as a fresh client", async () => {
    const seminar = await buildSeminar({ ownText: true });
    const room = roomName({ kind: "text", documentId: seminar.documentId as string });
    const { cookie } = await sessionCookie(seminar.instructor);
    const clients: TestClient[] = [];
    for (let i = 0; i < 5; i++) clients.push(await connectClient(harness, room, { cookie }));
    const next = random(20261127);

    for (let round = 0; round < 60; round++) {
      const client = clients[Math.floor(next() * clients.length)] as TestClient;
      const roll = next();
      if (roll < 0.15 && client.provider.wsconnected) {
        client.provider.disconnect();
      } else if (roll < 0.3 && !client.provider.wsconnected) {
        client.provider.connect();
      }
      // Edits happen online and offline alike; offline ones sync on reconnect.
      const map = client.doc.getMap("scratch");
      map.set(`k${Math.floor(next() * 20)}`, round);
      const text = client.doc.getText("notes");
      if (next() < 0.5 || text.length === 0)
        text.insert(Math.floor(next() * (text.length + 1)), `r${round} `);
      else text.delete(Math.floor(next() * text.length), 1);
      await new Promise((resolve) => setTimeout(resolve, next() * 15));
    }
    for (const client of clients) if (!client.provider.wsconnected) client.provider.connect();

    // Map keys sorted: each client's toJSON lists keys in its own insertion order.
    const state = (doc: Y.Doc) =>
      JSON.stringify({
        map: [...doc.getMap("scratch").entries()].sort(),
        text: doc.getText("notes").toJSON(),
      });
    await waitFor(() => clients.every((client) => client.provider.synced), "all clients to sync again");
    await waitFor(
      () => new Set(clients.map((client) => state(client.doc))).size === 1,
      "all clients to converge",
    );

    const fresh = await connectClient(harness, room, { cookie });
    await waitFor(() => state(fresh.doc) === state(clients[0]!.doc), "a fresh client to hold the same state");
    // And the essay the room was seeded with is intact.
    expect(fresh.doc.getXmlFragment("text").toJSON()).toContain("Trotsky, Guest of the Revolution");
    expect(await db.yUpdate.count({ where: { room } })).toBeGreaterThan(1);
    for (const client of [...clients, fresh]) client.destroy();
  });

  it("newcomers arriving between updates each get the room as it stands then (the whole-room sync is shared, and renewed by every update)", async () => {
    const seminar = await buildSeminar({ ownText: true });
    const room = roomName({ kind: "text", documentId: seminar.documentId as string });
    const { cookie } = await sessionCookie(seminar.instructor);
    const writer = await connectClient(harness, room, { cookie });
    const observer = await connectClient(harness, room, { cookie });
    const arrived: TestClient[] = [];
    for (let round = 0; round < 5; round++) {
      writer.doc.getMap("scratch").set(`round${round}`, round);
      // Committed and broadcast once a client already in the room has it.
      await waitFor(
        () => observer.doc.getMap("scratch").get(`round${round}`) === round,
        "the update to arrive",
      );
      // Two at once: both get the same (shared) sync, holding every round so far.
      const pair = await Promise.all([0, 1].map(() => connectClient(harness, room, { cookie })));
      for (const newcomer of pair) {
        await waitFor(() => newcomer.provider.synced, "the newcomer to sync");
        expect(Object.keys(newcomer.doc.getMap("scratch").toJSON()).sort()).toEqual(
          Array.from({ length: round + 1 }, (_, i) => `round${i}`),
        );
      }
      arrived.push(...pair);
    }
    for (const client of [writer, observer, ...arrived]) client.destroy();
  });
});
