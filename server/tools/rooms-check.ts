/**
 * `npm run rooms:check [-- --repair] [-- --room <name>]`: loads every stored
 * room (of DATABASE_URL) the way the collab server and a client would, and
 * lists each row or snapshot that loading would move to the quarantine table,
 * with the reason (lib/server/realtime/check-stored-rooms.ts). `--repair`
 * moves them. Exits 1 when something is found and left in place, or a room's
 * state would still not decode.
 */
import "dotenv/config";
import { parseArgs } from "node:util";
import { disconnectDb } from "../../lib/server/db";
import { checkStoredRooms } from "../../lib/server/realtime/check-stored-rooms";

const { values } = parseArgs({
  options: { repair: { type: "boolean", default: false }, room: { type: "string", multiple: true } },
});

async function main(): Promise<number> {
  const isRepair = values.repair ?? false;
  const checks = await checkStoredRooms({
    repair: isRepair,
    rooms: values.room,
    onRoom: (check) => {
      for (const finding of check.findings) {
        console.log(
          `${check.room}: ${finding.source} ${finding.rowId}: ${finding.reason} — ` +
            (isRepair ? "quarantined" : "would be quarantined"),
        );
      }
      if (check.clientError) console.log(`${check.room}: a client could not decode it: ${check.clientError}`);
    },
  });
  const findings = checks.reduce((sum, check) => sum + check.findings.length, 0);
  const quarantined = checks.reduce((sum, check) => sum + check.quarantined, 0);
  const undecodable = checks.filter((check) => check.clientError !== null).length;
  const affected = checks.filter((check) => check.findings.length > 0).length;
  console.log(
    `rooms:check: ${checks.length} rooms, ${affected} with stored data to quarantine (${findings} rows/snapshots), ` +
      `${quarantined} quarantined, ${undecodable} a client could not decode`,
  );
  if (findings > 0 && !isRepair) console.log("Run `npm run rooms:check -- --repair` to quarantine them.");
  return undecodable > 0 || (findings > 0 && quarantined < findings) ? 1 : 0;
}

main()
  .then(async (code) => {
    await disconnectDb();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    console.error(`rooms:check: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await disconnectDb().catch(() => undefined);
    process.exit(1);
  });
