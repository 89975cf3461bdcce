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
 */
import postgres from "postgres";
import { UPDATES_CHANNEL } from "../lib/server/realtime/update-log";
import { percentile } from "./clients";

/** Latency of one commit shape, ms. */
export type FloorFigures = { p50: number; p99: number; samples: number };

/** Both shapes. */
export type CommitFloor = { statement: FloorFigures; transaction: FloorFigures };

const summary = (latencies: number[]): FloorFigures => ({
  p50: percentile(latencies, 50),
  p99: percentile(latencies, 99),
  samples: latencies.length,
});

/** Measures both shapes against `databaseUrl`; `samples` commits each after 50 unmeasured. */
export async function measureCommitFloor(databaseUrl: string, samples = 500): Promise<CommitFloor> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {}, types: { bigint: postgres.BigInt } });
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
  const measure = async (commit: () => Promise<void>) => {
    for (let i = 0; i < 50; i++) await commit();
    const latencies: number[] = [];
    for (let i = 0; i < samples; i++) {
      const started = performance.now();
      await commit();
      latencies.push(performance.now() - started);
    }
    return summary(latencies);
  };
  try {
    const first = await measure(statement);
    const second = await measure(transaction);
    return { statement: first, transaction: second };
  } finally {
    await sql`DELETE FROM "YUpdate" WHERE "room" = ${room}`.catch(() => undefined);
    await sql.end({ timeout: 5 });
  }
}
