/**
 * The collab server's hot path to Postgres, on postgres.js (docs/architecture.md §1, §4):
 *
 * - `append`: group commit. Updates accepted while a commit is in flight
 *   wait and then share the next transaction; each caller's promise resolves
 *   only once its row is committed, and the server broadcasts only then.
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

/** Appends updates to the log with group commit, and listens for other processes. */
export class UpdateStore {
  private readonly sql: postgres.Sql;
  /** LISTEN's connection: a direct one when the pool goes through a pooler, else the pool's. */
  private readonly listenSql: postgres.Sql;
  private queue: Pending[] = [];
  private inFlight: Promise<void> | null = null;
  private readonly latencies: number[] = [];
  private listenCount = 0;
  private unlisten: (() => Promise<void>)[] = [];
  /** Number of commits (transactions) so far. */
  commits = 0;

  constructor(
    databaseUrl: string,
    /** Id of this process, carried in every notice so it can skip its own. */
    readonly processId: string,
    /** A direct session connection for LISTEN (a transaction pooler cannot carry it). */
    listenDatabaseUrl?: string,
  ) {
    const options = {
      max: 4,
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
      this.inFlight ??= this.drain();
    });
  }

  /** Updates waiting for or in a commit. */
  get pendingCount(): number {
    return this.queue.length + (this.inFlight ? 1 : 0);
  }

  /** Commit latencies in ms, most recent last. */
  get commitLatencies(): readonly number[] {
    return this.latencies;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      const started = performance.now();
      try {
        const ids = await this.commit(batch);
        this.recordLatency(performance.now() - started);
        batch.forEach((pending, index) => pending.resolve(ids[index] as bigint));
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    this.inFlight = null;
  }

  private async commit(batch: Pending[]): Promise<bigint[]> {
    this.commits++;
    return this.sql.begin<bigint[]>(async (transaction) => {
      // postgres.js's TransactionSql type drops the call signatures under TS 5; it is an Sql.
      const sql = transaction as unknown as postgres.Sql;
      // A multi-row VALUES insert returns its rows in the order given.
      const values = batch.map((pending) => ({
        room: pending.room,
        data: Buffer.from(pending.data),
        origin: pending.origin,
      }));
      const rows = await sql<{ id: bigint }[]>`
        INSERT INTO "YUpdate" ${sql(values)} RETURNING "id"`;
      const ids = rows.map((row) => row.id);
      // One notice per room, delivered to every listener when this transaction commits.
      const byRoom = new Map<string, string[]>();
      batch.forEach((pending, index) => {
        const list = byRoom.get(pending.room) ?? [];
        list.push(String(ids[index]));
        byRoom.set(pending.room, list);
      });
      for (const [room, roomIds] of byRoom) {
        const notice: UpdatesNotice = { p: this.processId, r: room, ids: roomIds };
        await sql`SELECT pg_notify(${UPDATES_CHANNEL}, ${JSON.stringify(notice)})`;
      }
      return ids;
    });
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
    while (this.inFlight) await this.inFlight;
    await Promise.allSettled(this.unlisten.map((stop) => stop()));
    await this.sql.end({ timeout: 5 });
    if (this.listenSql !== this.sql) await this.listenSql.end({ timeout: 5 });
  }
}
