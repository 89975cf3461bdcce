import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { migrateDatabase } from "../../prisma/migrate";

const name = `marginalia_empty_${inject("runId")}_${process.pid}`;
const admin = inject("adminDatabaseUrl");
const url = (() => {
  const parsed = new URL(admin);
  parsed.pathname = `/${name}`;
  return parsed.toString();
})();

async function query<T extends pg.QueryResultRow>(connection: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: connection });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await query(admin, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
});

describe("migrations", () => {
  it("create every table of the data model on an empty database, recorded in _prisma_migrations", async () => {
    await query(admin, `CREATE DATABASE "${name}"`);
    const applied = await migrateDatabase(url);
    expect(applied.length).toBeGreaterThan(0);

    const tables = (
      await query<{ tablename: string }>(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    ).map((row) => row.tablename);
    for (const table of [
      "User",
      "Seminar",
      "Membership",
      "Invite",
      "Document",
      "Reading",
      "Annotation",
      "Comment",
      "YUpdate",
      "YSnapshot",
      "DiscussionSnapshot",
      "_prisma_migrations",
    ]) {
      expect(tables).toContain(table);
    }
    const recorded = await query<{ migration_name: string; finished_at: Date | null; checksum: string }>(
      url,
      "SELECT migration_name, finished_at, checksum FROM _prisma_migrations ORDER BY migration_name",
    );
    expect(recorded.map((row) => row.migration_name)).toEqual(applied);
    expect(recorded.every((row) => row.finished_at !== null && /^[0-9a-f]{64}$/.test(row.checksum))).toBe(
      true,
    );
  });

  it("apply nothing the second time", async () => {
    expect(await migrateDatabase(url)).toEqual([]);
  });
});
