/**
 * Several reads run side by side, each on its own connection, all seeing one
 * snapshot of the database. A transaction's queries run one after another on its
 * one connection; a read of a whole discussion (annotations, comments, reactions)
 * is three large queries, so it waited for the sum of them. Here the first read's
 * transaction exports its snapshot (`pg_export_snapshot`) and the others import it
 * (`SET TRANSACTION SNAPSHOT`) before their first query, so together they see
 * exactly what one REPEATABLE READ transaction would, in the time of the longest.
 *
 * Each such read holds up to as many pooled connections as it has parts while its
 * first part waits for the others. So that they cannot take the pool from everyone
 * else, or wait on each other for connections, at most {@link MAX_SHARED_READS} run
 * at once; past that a read runs all its parts in one transaction, as before.
 */
import { db, type Tx } from "./db";

/** Reads sharing a snapshot at once, per process (the pool holds 10 connections). */
export const MAX_SHARED_READS = 2;

/** How long a part waits for a pooled connection before the read fails. */
const CONNECTION_WAIT_MS = 10_000;

/** How long the whole read may take. */
const TIMEOUT_MS = 30_000;

/** Every part's transaction: REPEATABLE READ, with the waits above. */
const TRANSACTION = {
  isolationLevel: "RepeatableRead",
  maxWait: CONNECTION_WAIT_MS,
  timeout: TIMEOUT_MS,
} as const;

/** What `pg_export_snapshot()` returns, e.g. `00000003-0000001B-1`. */
const SNAPSHOT_ID = /^[0-9A-F]+(-[0-9A-F]+)+$/;

const KEY = Symbol.for("marginalia.sharedReads");
type GlobalWithCount = typeof globalThis & { [KEY]?: number };

type Reads<T extends readonly unknown[]> = { [K in keyof T]: (tx: Tx) => Promise<T[K]> };

/** Runs `reads` side by side under one snapshot (or one after another in one transaction when busy). */
export async function readInOneSnapshot<T extends readonly unknown[]>(reads: Reads<T>): Promise<T> {
  const store = globalThis as GlobalWithCount;
  const running = store[KEY] ?? 0;
  if (reads.length < 2 || running >= MAX_SHARED_READS) return readInOneTransaction(reads);
  store[KEY] = running + 1;
  try {
    return await db.$transaction(async (lead) => {
      const [row] = await lead.$queryRaw<{ snapshot: string }[]>`
          SELECT pg_export_snapshot() AS "snapshot"`;
      const snapshot = row?.snapshot ?? "";
      if (!SNAPSHOT_ID.test(snapshot)) throw new Error(`Unexpected snapshot id "${snapshot}".`);
      const [first, ...rest] = reads as readonly ((tx: Tx) => Promise<unknown>)[];
      const results = await Promise.all([
        first!(lead),
        ...rest.map((read) =>
          db.$transaction(async (tx) => {
            // Utility statements take no parameters; the id was checked above.
            await tx.$executeRawUnsafe(`SET TRANSACTION SNAPSHOT '${snapshot}'`);
            return read(tx);
          }, TRANSACTION),
        ),
      ]);
      return results as unknown as T;
    }, TRANSACTION);
  } finally {
    store[KEY] = (store[KEY] ?? 1) - 1;
  }
}

/** The same reads in one REPEATABLE READ transaction, one after another. */
function readInOneTransaction<T extends readonly unknown[]>(reads: Reads<T>): Promise<T> {
  return db.$transaction(async (tx) => {
    const results: unknown[] = [];
    for (const read of reads) results.push(await read(tx));
    return results as unknown as T;
  }, TRANSACTION);
}
