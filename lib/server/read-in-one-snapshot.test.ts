/**
 * Reads side by side under one snapshot, on a real Postgres: each part on its own
 * connection, all of them blind to a write committed after the read began; past
 * {@link MAX_SHARED_READS} at once, one transaction; a failing part fails the read and
 * frees its place.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, type Tx } from "./db";
import { MAX_SHARED_READS, readInOneSnapshot } from "./read-in-one-snapshot";

const table = `snapshot_probe_${randomUUID().replaceAll("-", "")}`;

async function count(tx: Tx | typeof db): Promise<number> {
  const [row] = await tx.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS "n" FROM "${table}"`);
  return row?.n ?? -1;
}

async function backend(tx: Tx): Promise<number> {
  const [row] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS "pid"`;
  return row?.pid ?? -1;
}

/** A part that, once `go` resolves, reports its connection and its count. */
function part(go: Promise<unknown>) {
  return async (tx: Tx) => {
    await go;
    return { pid: await backend(tx), n: await count(tx) };
  };
}

beforeAll(async () => {
  await db.$executeRawUnsafe(`CREATE TABLE "${table}" ("id" serial PRIMARY KEY)`);
  await db.$executeRawUnsafe(`INSERT INTO "${table}" DEFAULT VALUES`);
});

afterAll(async () => {
  await db.$executeRawUnsafe(`DROP TABLE IF EXISTS "${table}"`);
});

describe("readInOneSnapshot", () => {
  it("runs each part on its own connection, all seeing the database as it was when the read began", async () => {
    const before = await count(db);
    let written!: () => void;
    const write = new Promise<void>((resolve) => (written = resolve));
    const results = await readInOneSnapshot([
      // The first part's transaction has begun the read; a row is committed beside it before
      // any other part runs a query, so only the shared snapshot keeps them from seeing it.
      async (tx: Tx) => {
        await db.$executeRawUnsafe(`INSERT INTO "${table}" DEFAULT VALUES`);
        written();
        return part(Promise.resolve())(tx);
      },
      part(write),
      part(write),
    ] as const);

    expect(new Set(results.map((result) => result.pid)).size).toBe(3);
    expect(results.map((result) => result.n)).toStrictEqual([before, before, before]);
    expect(await count(db)).toBe(before + 1);
  });

  it("runs a read in one transaction while the most allowed are running, with the same result", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // Each running read holds its parts open; the count of running reads is taken as a read begins.
    const running = Array.from({ length: MAX_SHARED_READS }, () =>
      readInOneSnapshot([part(held), part(held)] as const),
    );

    const busy = await readInOneSnapshot([part(Promise.resolve()), part(Promise.resolve())] as const);
    expect(busy[0].pid).toBe(busy[1].pid);
    expect(busy[0].n).toBe(await count(db));

    release();
    for (const read of await Promise.all(running)) expect(read[0].pid).not.toBe(read[1].pid);
  });

  it("fails when a part fails, and frees its place for the next read", async () => {
    for (let i = 0; i < MAX_SHARED_READS + 1; i++) {
      await expect(
        readInOneSnapshot([
          part(Promise.resolve()),
          async (tx: Tx) => tx.$queryRawUnsafe(`SELECT * FROM "no_such_table_${i}"`),
        ] as const),
      ).rejects.toThrow(/no_such_table/);
    }
    const after = await readInOneSnapshot([part(Promise.resolve()), part(Promise.resolve())] as const);
    expect(after[0].pid).not.toBe(after[1].pid);
  });
});
