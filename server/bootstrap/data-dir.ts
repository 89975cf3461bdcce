/**
 * The local data folder `.data/` (embedded PostgreSQL, generated secret) and
 * its lock: one process at a time runs the embedded database — `npm start`, or
 * `npm run seed` without DATABASE_URL. The lock file and its rule are the ones
 * server/start.ts applies to itself, so either refuses while the other runs.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { StartupError } from "./database";

/** Claims `dataDir` for this process; returns the release. Throws a StartupError naming the holder when a live process has it. */
export function claimDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, "marginalia.pid");
  if (existsSync(lockFile)) {
    const pid = Number(readFileSync(lockFile, "utf8"));
    let alive = false;
    try {
      if (pid && pid !== process.pid) {
        process.kill(pid, 0);
        alive = true;
      }
    } catch {
      alive = false;
    }
    if (alive)
      throw new StartupError(`Marginalia is already running on this folder's database (pid ${pid}).`);
  }
  writeFileSync(lockFile, String(process.pid));
  return () => rmSync(lockFile, { force: true });
}
