/**
 * Before each test file: a database of its own, copied from the migrated
 * template, as DATABASE_URL. After: the client is closed and the copy dropped.
 */
import { afterAll, beforeAll, inject } from "vitest";
import pg from "pg";
import { resetEnv } from "../../lib/server/env";
import { disconnectDb } from "../../lib/server/db";

let counter = 0;
let created: string | null = null;

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function adminQuery(sql: string) {
  const client = new pg.Client({ connectionString: inject("adminDatabaseUrl") });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  const name = `marginalia_t_${inject("runId")}_${process.pid}_${counter++}_${Math.random().toString(36).slice(2, 8)}`;
  // Two files copying the template at the same instant can see each other as
  // "other users" of it; a short retry covers that.
  for (let attempt = 0; ; attempt++) {
    try {
      await adminQuery(`CREATE DATABASE "${name}" TEMPLATE "${inject("templateDatabase")}"`);
      break;
    } catch (error) {
      if (attempt >= 50 || !String((error as Error).message).includes("being accessed by other users"))
        throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  created = name;
  process.env.DATABASE_URL = withDatabase(inject("adminDatabaseUrl"), name);
  process.env.NEXTAUTH_SECRET ??= "test-secret-not-for-production-0123456789";
  resetEnv();
});

afterAll(async () => {
  await disconnectDb();
  if (created) await adminQuery(`DROP DATABASE IF EXISTS "${created}" WITH (FORCE)`);
});
