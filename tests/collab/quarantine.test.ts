/**
 * A room can never become unloadable, whatever is already stored (issue 9
 * §1). Poisoned rows and a poisoned snapshot, written straight into Postgres
 * as data from before the guard would be, are moved to the quarantine table
 * when the room loads; the room loads from everything else, for a real
 * y-websocket client and for one whose stack is far smaller than Node's.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { compactRoom, toBytes } from "../../lib/server/realtime/update-log";
import { ROOT_TYPES, roomName } from "../../lib/shared/rooms";
import { inspectUpdate } from "../../lib/shared/yjs/inspect-update";
import { deepValueUpdate, spliceUpdates } from "../../lib/shared/yjs/update-test-kit";
import { connectClient, sessionCookie, startCollab, waitFor, type CollabHarness } from "../helpers/collab";
import { buildSeminar } from "../helpers/factories";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SMALL_STACK_CLIENT = path.join(ROOT, "tests/collab/fixtures/small-stack-client.ts");

let harness: CollabHarness;
const events: { event: string; fields: Record<string, unknown> }[] = [];

beforeAll(async () => {
  harness = await startCollab(
    { idleUnloadMs: 100 },
    { log: (event, fields) => events.push({ event, fields }) },
  );
});
afterAll(async () => {
  await harness?.close();
});

/** Runs the small-stack client (`node --stack-size=200`); resolves with its stdout. */
function runSmallStack(
  mode: "sync" | "apply",
  env: Record<string, string> = {},
  stdin = "",
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--stack-size=200", "--import", "tsx", SMALL_STACK_CLIENT, mode], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`small-stack client exited ${code}: ${stdout}${stderr}`)),
    );
    child.stdin.end(stdin);
  });
}

/** The room's text as a client syncs it; loads (and seeds) the room on the way. */
async function seededText(room: string, cookie: string): Promise<{ state: Uint8Array; text: string }> {
  const client = await connectClient(harness, room, { cookie });
  const result = {
    state: Y.encodeStateAsUpdate(client.doc),
    text: client.doc.getXmlFragment(ROOT_TYPES.text).toJSON(),
  };
  client.destroy();
  await waitFor(
    () => !harness.server.inspect().rooms.some((loaded) => loaded.name === room),
    "the room to unload",
  );
  return result;
}

describe("poisoned stored data", () => {
  it("is quarantined when the room loads; the room syncs with the rest of its text, on a small stack too", async () => {
    const seminar = await buildSeminar({ ownText: true });
    const room = roomName({ kind: "text", documentId: seminar.documentId as string });
    const { cookie } = await sessionCookie(seminar.instructor);
    const { state, text } = await seededText(room, cookie);
    expect(text).toContain("Trotsky");

    // As written before the guard: a snapshot into which compaction merged a value nested 5,000
    // levels deep, a row nesting JSON 15,000 levels, a format value 100,000 levels, and bytes that
    // are not an update at all. A later row edits the text.
    const poisonedSnapshot = spliceUpdates(state, deepValueUpdate("any", 5_000, 501));
    const poisonedRows = [
      deepValueUpdate("json", 15_000, 502),
      deepValueUpdate("format", 100_000, 503),
      Uint8Array.of(1, 1, 9, 0, 0xff, 0xff),
    ];
    const editor = new Y.Doc();
    Y.applyUpdate(editor, state);
    const before = Y.encodeStateVector(editor);
    editor.getText("margin").insert(0, "written after the poison");
    const laterEdit = Y.encodeStateAsUpdate(editor, before);
    editor.destroy();

    await db.yUpdate.deleteMany({ where: { room } });
    await db.ySnapshot.create({
      data: {
        room,
        state: toBytes(poisonedSnapshot),
        stateVector: toBytes(Y.encodeStateVectorFromUpdate(state)),
        throughId: 1n,
      },
    });
    const rowIds: bigint[] = [];
    for (const data of [...poisonedRows, laterEdit]) {
      const row = await db.yUpdate.create({
        data: { room, data: toBytes(data), origin: "before-the-guard" },
      });
      rowIds.push(row.id);
    }

    // The bytes as stored do overflow a small stack: otherwise this test would prove nothing.
    expect(await runSmallStack("apply", {}, Buffer.from(poisonedSnapshot).toString("base64"))).toMatch(
      /^FAILED RangeError: Maximum call stack size exceeded/,
    );

    // A real y-websocket client syncs, and the rest of the text is there.
    const client = await connectClient(harness, room, { cookie });
    expect(client.doc.getXmlFragment(ROOT_TYPES.text).toJSON()).toBe(text);
    expect(client.doc.getText("margin").toJSON()).toBe("written after the poison");
    expect(inspectUpdate(Y.encodeStateAsUpdate(client.doc))).toMatchObject({
      isReadable: true,
      offences: [],
    });

    // So does a client whose stack is a fifth of Node's default.
    const synced = await runSmallStack("sync", {
      COLLAB_URL: harness.url,
      ROOM: room,
      COOKIE: cookie,
      ORIGIN: harness.origin,
    });
    expect(synced).toContain("SYNCED");
    expect(JSON.parse(synced.slice(synced.indexOf("SYNCED ") + 7).trim())).toMatchObject({ text });

    // Moved aside, byte for byte, with the reason; the log names them; the metrics count them.
    const quarantined = await db.yQuarantine.findMany({ where: { room }, orderBy: { id: "asc" } });
    expect(
      quarantined.map((entry) => ({
        source: entry.source,
        rowId: entry.rowId,
        action: entry.action,
        reason: entry.reason,
        data: Buffer.from(entry.data).toString("base64"),
      })),
    ).toEqual([
      {
        source: "snapshot",
        rowId: 1n,
        action: "repaired",
        reason: "any value nested 5000 levels deep (limit 48) at 501:0",
        data: Buffer.from(poisonedSnapshot).toString("base64"),
      },
      {
        source: "update",
        rowId: rowIds[0],
        action: "repaired",
        reason: "json value nested 15000 levels deep (limit 48) at 502:0",
        data: Buffer.from(poisonedRows[0] as Uint8Array).toString("base64"),
      },
      {
        source: "update",
        rowId: rowIds[1],
        action: "repaired",
        reason: "format value nested 100000 levels deep (limit 48) at 503:0",
        data: Buffer.from(poisonedRows[1] as Uint8Array).toString("base64"),
      },
      {
        source: "update",
        rowId: rowIds[2],
        action: "removed",
        reason: expect.stringMatching(/^unreadable: /) as string,
        data: Buffer.from(poisonedRows[2] as Uint8Array).toString("base64"),
      },
    ]);
    expect(events.filter(({ event }) => event === "quarantine")).toEqual([
      {
        event: "quarantine",
        fields: expect.objectContaining({
          room,
          rows: ["snapshot:1", ...rowIds.slice(0, 3).map((id) => `update:${id}`)],
        }) as Record<string, unknown>,
      },
    ]);
    expect(harness.server.metrics().totals.quarantinedRows).toBe(4);

    // What stays stored loads safely; compaction merges it and quarantines nothing twice.
    const remaining = await db.yUpdate.findMany({ where: { room }, select: { data: true } });
    expect(remaining).toHaveLength(3);
    for (const row of remaining)
      expect(inspectUpdate(row.data)).toMatchObject({ isReadable: true, offences: [] });
    client.destroy();
    expect(await compactRoom(room)).toBe(3);
    expect(await db.yQuarantine.count({ where: { room } })).toBe(4);
    await waitFor(
      () => !harness.server.inspect().rooms.some((loaded) => loaded.name === room),
      "the room to unload",
    );
    const again = await connectClient(harness, room, { cookie });
    expect(again.doc.getXmlFragment(ROOT_TYPES.text).toJSON()).toBe(text);
    expect(again.doc.getText("margin").toJSON()).toBe("written after the poison");
    again.destroy();
  }, 90_000);

  it("is never merged by compaction: a poisoned row is quarantined and only its repaired form merged", async () => {
    const seminar = await buildSeminar();
    const room = roomName({
      kind: "notes",
      documentId: seminar.documentId as string,
      userId: seminar.instructor.id,
    });
    const good = new Y.Doc();
    good.getMap("notes").set("kept", "yes");
    await db.yUpdate.create({ data: { room, data: toBytes(Y.encodeStateAsUpdate(good)), origin: "x" } });
    await db.yUpdate.create({
      data: { room, data: toBytes(deepValueUpdate("doc", 15_000, 601)), origin: "x" },
    });
    good.destroy();

    expect(await compactRoom(room)).toBe(2);
    const snapshot = await db.ySnapshot.findUniqueOrThrow({ where: { room } });
    expect(inspectUpdate(snapshot.state)).toMatchObject({ isReadable: true, offences: [] });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, snapshot.state);
    expect(doc.getMap("notes").get("kept")).toBe("yes");
    doc.destroy();
    expect(
      await db.yQuarantine.findMany({ where: { room }, select: { source: true, action: true } }),
    ).toEqual([{ source: "update", action: "repaired" }]);
  });
});
