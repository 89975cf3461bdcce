/**
 * Start-up work that must happen once per database (migrations, importing the texts, the demo
 * seminar on a new database) runs under one Postgres session advisory lock, so N processes
 * started together take turns: the first does the work, the others find it done. The lock is
 * a session lock, so it needs a direct connection (DIRECT_DATABASE_URL behind a transaction
 * pooler), and it is released if the process dies while holding it.
 */
import pg from "pg";

/** Advisory lock key of start-up work (any constant no other lock in the app uses). */
export const STARTUP_LOCK_KEY = 4_210_862_001;

/** Runs `work` while holding the start-up lock of the database at `databaseUrl`. */
export async function withStartupLock<T>(databaseUrl: string, work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on("error", () => {});
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [STARTUP_LOCK_KEY]);
    try {
      return await work();
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [STARTUP_LOCK_KEY]);
    }
  } finally {
    await client.end().catch(() => {});
  }
}
