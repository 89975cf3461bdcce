/**
 * The Yjs update log of every room, shared by the collab server and the
 * server-side writers of seminar rooms (docs/architecture.md §4):
 *
 * - `YUpdate` rows: committed updates, in id order (ids come from a sequence,
 *   so commit order may differ; Yjs updates commute, so no reader relies on it);
 * - `YSnapshot`: one row per room, every update it merged.
 *
 * A room's state is its snapshot plus every log row still there. Compaction
 * deletes exactly the rows it merged, so a row committed late with a smaller
 * id than the snapshot's `throughId` is still read — loaders never filter by id.
 */
import * as Y from "yjs";
import type { Tx } from "../db";
import { db } from "../db";

/** Channel on which every committed update is announced: `{ p, r, ids }`. */
export const UPDATES_CHANNEL = "marginalia_yupdates";

/** The payload of an {@link UPDATES_CHANNEL} notification. */
export type UpdatesNotice = {
  /** Id of the process that committed (it has applied the updates already). */
  p: string;
  /** Room name. */
  r: string;
  /** Ids of the committed rows. */
  ids: string[];
};

/** A copy of `bytes` on its own ArrayBuffer, as Prisma's Bytes fields want. */
export function toBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

/** Namespace of our advisory locks (the first key of the two-key form). */
export const ROOM_LOCK_NAMESPACE = 4_210_861;

/** Takes the room's advisory lock until the transaction ends (serialises writers of server rooms and compaction). */
export async function lockRoom(tx: Tx, room: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ROOM_LOCK_NAMESPACE}::int, hashtext(${room}))`;
}

/** Everything stored for a room: the snapshot (if any) and the log rows. */
export type StoredRoom = {
  snapshot: { state: Uint8Array; throughId: bigint } | null;
  rows: { id: bigint; data: Uint8Array }[];
};

/** Reads a room's snapshot and every log row. */
export async function readRoom(room: string, client: Tx | typeof db = db): Promise<StoredRoom> {
  const snapshot = await client.ySnapshot.findUnique({
    where: { room },
    select: { state: true, throughId: true },
  });
  const rows = await client.yUpdate.findMany({
    where: { room },
    orderBy: { id: "asc" },
    select: { id: true, data: true },
  });
  return { snapshot, rows };
}

/**
 * Reads a room in one REPEATABLE READ transaction, so a compaction that
 * commits between the two reads cannot make rows vanish from both.
 */
export async function loadRoom(room: string): Promise<StoredRoom> {
  return db.$transaction((tx) => readRoom(room, tx), { isolationLevel: "RepeatableRead" });
}

/**
 * Applies what is stored for a room to `doc`; returns the ids of rows Yjs
 * could not apply. Those are skipped, not fatal: one bad row must not make a
 * whole room unloadable (the collab server refuses such updates before it
 * commits them; this is the second line of defence).
 */
export function applyStoredRoom(doc: Y.Doc, stored: StoredRoom, origin: unknown = "load"): bigint[] {
  const skipped: bigint[] = [];
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot.state, origin);
  for (const row of stored.rows) {
    try {
      Y.applyUpdate(doc, row.data, origin);
    } catch {
      skipped.push(row.id);
    }
  }
  return skipped;
}

/** True when nothing at all is stored for the room. */
export function isEmpty(stored: StoredRoom): boolean {
  return stored.snapshot === null && stored.rows.length === 0;
}

/** Appends one update inside `tx` and announces it on commit; returns the row id. */
export async function appendUpdate(
  tx: Tx,
  room: string,
  data: Uint8Array,
  origin: string,
  processId = "server",
) {
  const row = await tx.yUpdate.create({ data: { room, data: toBytes(data), origin }, select: { id: true } });
  const notice: UpdatesNotice = { p: processId, r: room, ids: [row.id.toString()] };
  await tx.$executeRaw`SELECT pg_notify(${UPDATES_CHANNEL}, ${JSON.stringify(notice)})`;
  return row.id;
}

/**
 * Merges a room's log into its snapshot under the room's advisory lock and
 * deletes exactly the rows it merged. Returns how many rows it merged.
 */
export async function compactRoom(room: string, minRows = 1): Promise<number> {
  return db.$transaction(
    async (tx) => {
      await lockRoom(tx, room);
      const stored = await readRoom(room, tx);
      if (stored.rows.length < minRows) return 0;
      const doc = new Y.Doc({ gc: true });
      try {
        applyStoredRoom(doc, stored);
        const state = toBytes(Y.encodeStateAsUpdate(doc));
        const stateVector = toBytes(Y.encodeStateVector(doc));
        const throughId = stored.rows.reduce(
          (max, row) => (row.id > max ? row.id : max),
          stored.snapshot?.throughId ?? 0n,
        );
        await tx.ySnapshot.upsert({
          where: { room },
          create: { room, state, stateVector, throughId },
          update: { state, stateVector, throughId },
        });
        const merged = stored.rows.map((row) => row.id);
        await tx.yUpdate.deleteMany({ where: { id: { in: merged } } });
        return merged.length;
      } finally {
        doc.destroy();
      }
    },
    { timeout: 30_000 },
  );
}
