/**
 * What a load balancer asks each process (README: Running several processes):
 * `GET /healthz` — the process is alive (it answers at all); `GET /readyz` — it can serve:
 * the database answers, Redis answers (when REDIS_URL is set), every migration this code
 * ships is applied, and the process is not draining.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { db } from "../lib/server/db";

const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../prisma/migrations");

/** The answer of /readyz. */
export type Readiness = {
  /** True when every check passed. */
  isReady: boolean;
  /** Each check: "ok", or why not. */
  checks: { database: string; redis: string; migrations: string; draining: string };
};

/** What readiness needs from the running process. */
export type ReadinessSources = {
  /** True once SIGTERM started the drain. */
  isDraining(): boolean;
  /** Redis's answer, or null when this process runs without Redis. */
  isRedisReachable: (() => Promise<boolean>) | null;
};

let hasAllMigrations = false;

async function checkMigrations(): Promise<string> {
  if (hasAllMigrations) return "ok";
  const shipped = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  const rows = await db.$queryRaw<{ migration_name: string }[]>`
    SELECT "migration_name" FROM "_prisma_migrations"
     WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`;
  const applied = new Set(rows.map((row) => row.migration_name));
  const missing = shipped.filter((name) => !applied.has(name));
  if (missing.length > 0) return `not applied: ${missing.join(", ")}`;
  hasAllMigrations = true;
  return "ok";
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} timed out`)), ms).unref()),
  ]);
}

/** Runs every check (each bounded to 2 s). */
export async function checkReadiness(sources: ReadinessSources): Promise<Readiness> {
  const describe = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 200);
  const [database, migrations, redis] = await Promise.all([
    withTimeout(db.$queryRaw`SELECT 1`, 2000, "the database")
      .then(() => "ok")
      .catch(describe),
    withTimeout(checkMigrations(), 2000, "the migration check").catch(describe),
    sources.isRedisReachable
      ? withTimeout(sources.isRedisReachable(), 2000, "Redis")
          .then((isUp) => (isUp ? "ok" : "unreachable"))
          .catch(describe)
      : Promise.resolve("not used (REDIS_URL unset)"),
  ]);
  const draining = sources.isDraining() ? "draining" : "ok";
  const isReady =
    database === "ok" &&
    migrations === "ok" &&
    draining === "ok" &&
    (redis === "ok" || sources.isRedisReachable === null);
  return { isReady, checks: { database, redis, migrations, draining } };
}
