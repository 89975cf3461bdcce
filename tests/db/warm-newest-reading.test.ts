import { describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { findActivityThreads } from "../../lib/server/review/activity-threads";
import { loadCurrentText } from "../../lib/server/review/load-current-text";
import { warmNewestReading } from "../../lib/server/seminars/warm-newest-reading";
import { seedTexts } from "../../prisma/seed";
import { findDemoReading, seedDemo } from "../../prisma/seed-demo";

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

describe("warming up the newest reading at start", () => {
  it("resolves on a database with no readings", async () => {
    await expect(warmNewestReading()).resolves.toBeUndefined();
  });

  it("reads the demo seminar's reading without writing anything, and leaves its threads placed", async () => {
    await seedTexts();
    await seedDemo();
    const before = await contents();
    expect(Object.keys(before).length).toBeGreaterThan(10);
    await warmNewestReading();
    expect(await contents()).toEqual(before);

    // The review places the threads it has not placed at this state of the text: none are left.
    const { seminarId, documentId } = await findDemoReading();
    const threads = await findActivityThreads(seminarId, documentId);
    expect(threads.length).toBeGreaterThan(5);
    const asked: string[] = [];
    const { located } = await loadCurrentText(documentId, [], {
      ids: threads.map((thread) => thread.id),
      read: (ids) => {
        asked.push(...ids);
        return Promise.resolve([]);
      },
    });
    expect(asked).toEqual([]);
    expect(threads.every((thread) => located.get(thread.id))).toBe(true);
  });
});
