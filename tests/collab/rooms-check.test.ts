/**
 * `npm run rooms:check` reports what loading a room would quarantine, and
 * with `--repair` quarantines it (issue 9 §1); run as the command is.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { toBytes } from "../../lib/server/realtime/update-log";
import { roomName } from "../../lib/shared/rooms";
import { deepValueUpdate } from "../../lib/shared/yjs/update-test-kit";
import { buildSeminar } from "../helpers/factories";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Runs `npm run rooms:check -- <args>` against this test file's database. */
function roomsCheck(...args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/tools/rooms-check.ts", ...args], {
      cwd: ROOT,
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout }));
  });
}

describe("npm run rooms:check", () => {
  it("lists what it would quarantine, changes nothing, then quarantines it with --repair", async () => {
    const seminar = await buildSeminar();
    const documentId = seminar.documentId as string;
    const poisoned = roomName({ kind: "notes", documentId, userId: seminar.instructor.id });
    const healthy = roomName({ kind: "text", documentId });
    const good = new Y.Doc();
    good.getMap("notes").set("kept", "yes");
    await db.yUpdate.create({
      data: { room: healthy, data: toBytes(Y.encodeStateAsUpdate(good)), origin: "x" },
    });
    await db.yUpdate.create({
      data: { room: poisoned, data: toBytes(Y.encodeStateAsUpdate(good)), origin: "x" },
    });
    const bad = await db.yUpdate.create({
      data: { room: poisoned, data: toBytes(deepValueUpdate("embed", 5_000, 901)), origin: "x" },
    });
    good.destroy();

    const dryRun = await roomsCheck("--room", healthy, "--room", poisoned);
    expect(dryRun.code, dryRun.stdout).toBe(1);
    expect(dryRun.stdout).toContain(
      `${poisoned}: update ${bad.id}: embed value nested 5000 levels deep (limit 48) at 901:0 — would be quarantined`,
    );
    expect(dryRun.stdout).toContain(
      "rooms:check: 2 rooms, 1 with stored data to quarantine (1 rows/snapshots), 0 quarantined",
    );
    expect(dryRun.stdout).not.toContain(`${healthy}:`);
    expect(await db.yQuarantine.count({ where: { room: poisoned } })).toBe(0);

    const repair = await roomsCheck("--repair", "--room", healthy, "--room", poisoned);
    expect(repair.code, repair.stdout).toBe(0);
    expect(repair.stdout).toContain(`${poisoned}: update ${bad.id}: embed value nested 5000 levels deep`);
    expect(
      await db.yQuarantine.findMany({ where: { room: poisoned }, select: { rowId: true, action: true } }),
    ).toEqual([{ rowId: bad.id, action: "repaired" }]);

    const again = await roomsCheck("--room", healthy, "--room", poisoned);
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toContain(
      "rooms:check: 2 rooms, 0 with stored data to quarantine (0 rows/snapshots), 0 quarantined, 0 a client could not decode",
    );
  }, 240_000);
});
