/**
 * The collab server's hot path to Postgres, on postgres.js (docs/architecture.md §1, §4;
 * docs/adr/0016-commit-path.md):
 *
 * - `append`: one statement per commit. The insert and its `pg_notify` travel
 *   as one statement (a data-modifying CTE), so a commit is a single round
 *   trip in autocommit instead of BEGIN / INSERT / NOTIFY / COMMIT. Up to
 *   `maxInFlight` commits run at once on the pool (pipelined); updates that
 *   arrive while every slot is busy share the next commit (group commit).
 *   Each caller's promise resolves only once its row is committed, and the
 *   server broadcasts only then.
 * - `listen`: LISTEN for updates other processes committed, and for access
 *   changes; postgres.js reconnects by itself and calls `onListen` again
 *   after every reconnect, which is when we catch up from the log.
 */
import postgres from "postgres";
import { ACCESS_CHANNEL, type AccessEvent } from "@/lib/server/realtime/access-events";
import { UPDATES_CHANNEL, type UpdatesNotice } from "@/lib/server/realtime/update-log";

type Pending = {
  room: string;
  data: Uint8Array;
  origin: string;
  resolve: (id: bigint) => void;
  reject: (error: unknown) => void;
};

/** Callbacks of {@link UpdateStore.listen}. */
export type StoreListener = {
  /** Another process committed updates to a room. */
  onUpdates(notice: UpdatesNotice): void;
  /** Someone's access may have changed. */
  onAccess(event: AccessEvent): void;
  /** The listening connection (re)connected: catch up. Not called for the first connect. */
  onReconnect(): void;
};

/** Commit latency samples kept for metrics. */
const LATENCY_SAMPLES = 512;

/** Commits in flight at once by default: the pool's size. */
const DEFAULT_IN_FLIGHT = 4;

/** Updates in one commit at most (one statement's parameters and one notice's 8,000 bytes stay small). */
const MAX_BATCH = 64;

/** Appends updates to the log, pipelined and grouped, and listens for other processes. */
export class UpdateStore {
  private readonly sql: postgres.Sql;
  /** LISTEN's connection: a direct one when the pool goes through a pooler, else the pool's. */
  private readonly listenSql: postgres.Sql;
  private queue: Pending[] = [];
  private inFlight = 0;
  private idle: (() => void)[] = [];
  private readonly latencies: number[] = [];
  private listenCount = 0;
  private unlisten: (() => Promise<void>)[] = [];
  /** Number of commits (statements) so far. */
  commits = 0;
  /** The most commits that were in flight at once. */
  peakInFlight = 0;

  constructor(
    databaseUrl: string,
    /** Id of this process, carried in every notice so it can skip its own. */
    readonly processId: string,
    /** A direct session connection for LISTEN (a transaction pooler cannot carry it). */
    listenDatabaseUrl?: string,
    /** Commits in flight at once (1: strictly one after the other). */
    private readonly maxInFlight = DEFAULT_IN_FLIGHT,
  ) {
    const options = {
      max: Math.max(1, maxInFlight),
      idle_timeout: 30,
      onnotice: () => {},
      // bigint ids as strings; bytea as Buffer.
      types: { bigint: postgres.BigInt },
    };
    this.sql = postgres(databaseUrl, options);
    this.listenSql =
      listenDatabaseUrl && listenDatabaseUrl !== databaseUrl
        ? postgres(listenDatabaseUrl, { ...options, max: 1 })
        : this.sql;
  }

  /** Resolves with the row id once the update is committed. */
  append(room: string, data: Uint8Array, origin: string): Promise<bigint> {
    return new Promise((resolve, reject) => {
      this.queue.push({ room, data, origin, resolve, reject });
      this.pump();
    });
  }

  /** Updates waiting for a commit, plus commits in flight. */
  get pendingCount(): number {
    return this.queue.length + this.inFlight;
  }

  /** Commit latencies in ms, most recent last. */
  get commitLatencies(): readonly number[] {
    return this.latencies;
  }

  /** Starts commits while slots are free; each takes what is queued (up to MAX_BATCH). */
  private pump() {
    while (this.queue.length > 0 && this.inFlight < this.maxInFlight) {
      const batch = this.queue.length <= MAX_BATCH ? this.queue : this.queue.slice(0, MAX_BATCH);
      this.queue = batch === this.queue ? [] : this.queue.slice(MAX_BATCH);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
        if (this.pendingCount === 0) for (const wake of this.idle.splice(0)) wake();
      });
    }
  }

  private async run(batch: Pending[]): Promise<void> {
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    const started = performance.now();
    try {
      const ids = await this.commit(batch);
      this.recordLatency(performance.now() - started);
      batch.forEach((pending, index) => pending.resolve(ids[index] as bigint));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // One statement is all or nothing: commit each update of a failed group on its own, so
      // a failure is only its writer's (that writer is closed; the others' updates land).
      for (const pending of batch) {
        try {
          const [id] = await this.commit([pending]);
          pending.resolve(id as bigint);
        } catch (single) {
          pending.reject(single);
        }
      }
    }
  }

  /**
   * One statement, one round trip, atomic in autocommit: the rows and one
   * notice per room (delivered to every listener when the statement
   * commits). Ids come from the table's sequence in the order of the VALUES
   * list, so the returned ids sorted ascending are the batch's, in order.
   */
  private async commit(batch: Pending[]): Promise<bigint[]> {
    this.commits++;
    const values = batch.map((pending) => ({
      room: pending.room,
      data: Buffer.from(pending.data.buffer, pending.data.byteOffset, pending.data.byteLength),
      origin: pending.origin,
    }));
    const rows = await this.sql<{ id: bigint }[]>`
      WITH inserted AS (INSERT INTO "YUpdate" ${this.sql(values)} RETURNING "id", "room"),
           notices AS (
             SELECT pg_notify(${UPDATES_CHANNEL},
                      json_build_object('p', ${this.processId}::text, 'r', "room",
                                        'ids', json_agg("id"::text ORDER BY "id"))::text)
               FROM inserted GROUP BY "room")
      SELECT "id" FROM inserted WHERE (SELECT count(*) FROM notices) >= 0`;
    const ids = rows.map((row) => row.id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (ids.length !== batch.length)
      throw new Error(`committed ${ids.length} rows for ${batch.length} updates`);
    return ids;
  }

  private recordLatency(ms: number) {
    this.latencies.push(ms);
    if (this.latencies.length > LATENCY_SAMPLES) this.latencies.shift();
  }

  /** Deletes one row (an update that was committed but could not be applied). */
  async deleteRow(id: bigint): Promise<void> {
    await this.sql`DELETE FROM "YUpdate" WHERE "id" = ${id.toString()}::bigint`;
  }

  /** Reads specific rows of a room (those a notice named). */
  async readRows(room: string, ids: string[]): Promise<{ id: bigint; data: Uint8Array }[]> {
    if (ids.length === 0) return [];
    // One text parameter, split and cast by Postgres. `sql.array(ids)` was sent as `1,2` (no
    // braces), which Postgres rejects as a malformed array literal, so no notice from another
    // process was ever applied (found by tests/collab/server-written-room.test.ts).
    const rows = await this.sql<{ id: bigint; data: Buffer }[]>`
      SELECT "id", "data" FROM "YUpdate"
       WHERE "room" = ${room} AND "id" = ANY(string_to_array(${ids.join(",")}, ',')::bigint[])`;
    return rows.map((row) => ({ id: row.id, data: new Uint8Array(row.data) }));
  }

  /** Starts listening on both channels; resolves once both listen. */
  async listen(listener: StoreListener): Promise<void> {
    // Both channels share postgres.js's one listening connection; its
    // re-subscriptions after a reconnect call onListen again.
    const onListen = () => {
      this.listenCount++;
      if (this.listenCount > 1) listener.onReconnect();
    };
    const updates = await this.listenSql.listen(
      UPDATES_CHANNEL,
      (payload) => {
        try {
          listener.onUpdates(JSON.parse(payload) as UpdatesNotice);
        } catch {
          // A notice we cannot read is not ours to act on.
        }
      },
      onListen,
    );
    const access = await this.listenSql.listen(ACCESS_CHANNEL, (payload) => {
      try {
        listener.onAccess(JSON.parse(payload) as AccessEvent);
      } catch {
        // As above.
      }
    });
    this.unlisten = [() => updates.unlisten(), () => access.unlisten()];
  }

  /** Waits for pending commits, stops listening and closes the pool. */
  async close(): Promise<void> {
    if (this.pendingCount > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    await Promise.allSettled(this.unlisten.map((stop) => stop()));
    await this.sql.end({ timeout: 5 });
    if (this.listenSql !== this.sql) await this.listenSql.end({ timeout: 5 });
  }
}
