/**
 * `npm run rooms:check [-- --repair]` (server/tools/rooms-check.ts): loads
 * every stored room the way the collab server and then a client would, and
 * reports what loading would quarantine (issue 9 §1). With `repair`, moves it
 * to the quarantine table, as the collab server does when it loads the room.
 */
import * as Y from "yjs";
import { inspectUpdate } from "@/lib/shared/yjs/inspect-update";
import { db } from "../db";
import { applyStoredRoom, loadRoom, quarantineRoomData, type StoredFinding } from "./update-log";

/** What was found in one room. */
export type RoomCheck = {
  /** The room's name. */
  room: string;
  /** Rows and snapshot that loading sets aside. */
  findings: Omit<StoredFinding, "original" | "replacement">[];
  /** Why the state a client would receive does not decode; null when it does. */
  clientError: string | null;
  /** Findings moved to the quarantine table (with `repair`). */
  quarantined: number;
};

/** Checks every room with stored updates or a snapshot (or just `rooms`); repairs them when asked. */
export async function checkStoredRooms(
  options: { repair?: boolean; rooms?: string[]; onRoom?: (check: RoomCheck) => void } = {},
): Promise<RoomCheck[]> {
  const rooms =
    options.rooms ??
    (
      await db.$queryRaw<{ room: string }[]>`
        SELECT "room" FROM "YUpdate" UNION SELECT "room" FROM "YSnapshot" ORDER BY "room"`
    ).map((row) => row.room);
  const checks: RoomCheck[] = [];
  for (const room of rooms) {
    const server = new Y.Doc({ gc: true });
    const client = new Y.Doc();
    let findings: StoredFinding[] = [];
    let clientError: string | null = null;
    try {
      findings = applyStoredRoom(server, await loadRoom(room));
      // What a newcomer receives, decoded as it would be: checked first, then applied.
      const state = Y.encodeStateAsUpdate(server);
      const inspection = inspectUpdate(state);
      if (!inspection.isReadable) clientError = `unreadable: ${inspection.detail}`;
      else if (inspection.offences.length > 0)
        clientError = inspection.offences[0]?.detail ?? "offending value";
      else Y.applyUpdate(client, state);
    } catch (error) {
      clientError = error instanceof Error ? error.message : String(error);
    } finally {
      server.destroy();
      client.destroy();
    }
    const quarantined = options.repair ? await quarantineRoomData(room, findings) : 0;
    const check: RoomCheck = {
      room,
      findings: findings.map(({ source, rowId, reason }) => ({ source, rowId, reason })),
      clientError,
      quarantined,
    };
    options.onRoom?.(check);
    checks.push(check);
  }
  return checks;
}
