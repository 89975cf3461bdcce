/**
 * The commit floor of `npm run bench`: what one durable Postgres commit shaped
 * like the collab server's costs when measured alone, in the same run and
 * against the same database, so the latency table can say how far the
 * server's own commit latency (`/collab/metrics`) is from it.
 *
 * Two shapes, one after the other, each `samples` commits in a row (one in
 * flight, a ~40-byte update as a one-key map change makes):
 *
 * - **statement**: the collab server's commit (server/collab/update-store.ts):
 *   one statement, the insert and its pg_notify in a data-modifying CTE, in
 *   autocommit;
 * - **transaction**: the shape it replaced: BEGIN; INSERT … RETURNING;
 *   SELECT pg_notify(…); COMMIT — four round trips.
 *
 * Both through postgres.js, as the server does, in a room of their own whose
 * rows are deleted afterwards.
 *
 * Commits in a row are not the collab server's rhythm: the latency bench sends
 * one change every `--interval` ms, and between two commits both the server and
 * its Postgres backend fall idle. On this 2-core VM a round trip made after
 * 50 ms of idleness costs ~0.35 ms more than one made straight after another
 * (even a `SELECT 1`), and the fsync another ~0.3 ms. So the same statement is
 * measured once more **paced**: one every `intervalMs`, while a second
 * connection LISTENs on the updates channel as the server's does (Postgres then
 * signals a listener on each commit). Next to it, a paced `SELECT 1` gives the
 * idle round trip with no commit at all.
 */
import postgres from "postgres";
import { UPDATES_CHANNEL } from "../lib/server/realtime/update-log";
import { percentile } from "./clients";

/** Latency of one commit shape, ms. */
export type FloorFigures = { p50: number; p99: number; samples: number };

/** Every shape. */
export type CommitFloor = {
  /** The server's statement, in a row. */
  statement: FloorFigures;
  /** The four-round-trip transaction it replaced, in a row. */
  transaction: FloorFigures;
  /** The server's statement at the latency bench's rhythm, with a listener. */
  paced: FloorFigures;
  /** `SELECT 1` at the same rhythm: the round trip alone. */
  pacedRoundTrip: FloorFigures;
  /** The rhythm, ms between two paced commits. */
  intervalMs: number;
};

const summary = (latencies: number[]): FloorFigures => ({
  p50: percentile(latencies, 50),
  p99: percentile(latencies, 99),
  samples: latencies.length,
});

/**
 * Measures every shape against `databaseUrl`: `samples` commits in a row each after 50
 * unmeasured, then `pacedSamples` paced ones, one every `intervalMs`.
 */
export async function measureCommitFloor(
  databaseUrl: string,
  { samples = 500, pacedSamples = 200, intervalMs = 50 } = {},
): Promise<CommitFloor> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {}, types: { bigint: postgres.BigInt } });
  const listenSql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const room = `bench-floor:${Date.now().toString(36)}`;
  const data = Buffer.from(Array.from({ length: 40 }, (_, index) => index));
  const processId = "bench-floor";
  const statement = async () => {
    await sql`
      WITH inserted AS (INSERT INTO "YUpdate" ${sql([{ room, data, origin: processId }])} RETURNING "id", "room"),
           notices AS (
             SELECT pg_notify(${UPDATES_CHANNEL},
                      json_build_object('p', ${processId}::text, 'r', "room",
                                        'ids', json_agg("id"::text ORDER BY "id"))::text)
               FROM inserted GROUP BY "room")
      SELECT "id" FROM inserted WHERE (SELECT count(*) FROM notices) >= 0`;
  };
  const transaction = async () => {
    await sql.begin(async (transactionSql) => {
      const tx = transactionSql as unknown as postgres.Sql;
      const [row] = await tx<{ id: bigint }[]>`
        INSERT INTO "YUpdate" ${tx([{ room, data, origin: processId }])} RETURNING "id"`;
      const notice = JSON.stringify({ p: processId, r: room, ids: [String(row?.id)] });
      await tx`SELECT pg_notify(${UPDATES_CHANNEL}, ${notice})`;
    });
  };
  const roundTrip = async () => {
    await sql`SELECT 1`;
  };
  const measure = async (commit: () => Promise<void>, count: number, pauseMs = 0) => {
    for (let i = 0; i < 50; i++) await commit();
    const latencies: number[] = [];
    for (let i = 0; i < count; i++) {
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      const started = performance.now();
      await commit();
      latencies.push(performance.now() - started);
    }
    return summary(latencies);
  };
  try {
    const inARow = await measure(statement, samples);
    const transactions = await measure(transaction, samples);
    const listening = await listenSql.listen(UPDATES_CHANNEL, () => {});
    const paced = await measure(statement, pacedSamples, intervalMs);
    await listening.unlisten();
    const pacedRoundTrip = await measure(roundTrip, pacedSamples, intervalMs);
    return { statement: inARow, transaction: transactions, paced, pacedRoundTrip, intervalMs };
  } finally {
    await sql`DELETE FROM "YUpdate" WHERE "room" = ${room}`.catch(() => undefined);
    await sql.end({ timeout: 5 });
    await listenSql.end({ timeout: 5 });
  }
}
