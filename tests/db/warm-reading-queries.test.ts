import { describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { warmReadingQueries } from "../../lib/server/seminars/warm-reading-queries";
import { seedTexts } from "../../prisma/seed";
import { seedDemo } from "../../prisma/seed-demo";

/** Every table of this test's database, each as its row count and a digest of its rows. */
async function contents(): Promise<Record<string, string>> {
  const tables = await db.$queryRaw<{ name: string }[]>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`;
  const result: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await db.$queryRawUnsafe<{ rows: bigint; digest: string | null }[]>(
      `SELECT count(*) AS rows, md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM "${name}" t`,
    );
    result[name] = `${row?.rows} ${row?.digest}`;
  }
  return result;
}

describe("warming up the reading page's queries at start", () => {
  it("resolves on a database with no readings", async () => {
    await expect(warmReadingQueries()).resolves.toBeUndefined();
  });

  it("reads the demo seminar's reading without writing anything", async () => {
    await seedTexts();
    await seedDemo();
    const before = await contents();
    expect(Object.keys(before).length).toBeGreaterThan(10);
    await warmReadingQueries();
    expect(await contents()).toEqual(before);
  });
});
