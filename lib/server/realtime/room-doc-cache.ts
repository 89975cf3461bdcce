/**
 * The Y.Doc of a server-written room, kept between writes (docs/architecture.md §4).
 *
 * Every server write holds the room's lock and needs the room's current document. Reading
 * and applying the whole log each time made one write's cost grow with the discussion (at
 * 1,000 threads most of a write went into decoding the stored room). This keeps the last
 * few rooms' documents in memory with the log rows they hold; under the lock, the log's row
 * ids are read (ids only), and a cached document is used when the rows it holds are still
 * the first rows of the log and the snapshot has not moved: only the newer rows are fetched
 * and applied. Anything else (a compaction, a repair, rows removed or committed out of
 * order by a writer that does not take the lock) reads the whole room again, as before.
 *
 * A document is taken out of the cache while a write uses it and put back only once that
 * write has committed, so a write that fails leaves nothing of itself behind.
 *
 * A compaction by a server write (write-server-room.ts) merges the log into the snapshot
 * from the held document itself, and keeps it as the room after the merge, so the next
 * write neither reads nor decodes the whole room again.
 */
import * as Y from "yjs";
import type { Tx } from "../db";
import { getEnv } from "../env";
import { applyStoredRoom, isEmpty, readRoom } from "./update-log";

/** Rooms kept at most (least recently written goes first). */
const MAX_ROOMS = 4;
/** A room not written for this long is let go. */
const IDLE_MS = 2 * 60_000;

type Cached = {
  doc: Y.Doc;
  /** The snapshot's `throughId` when the document was read (null: no snapshot). */
  throughId: bigint | null;
  /** The log rows the document holds, ascending. */
  rowIds: bigint[];
  /** Some stored row or snapshot it holds was applied in a repaired form, not as stored. */
  isRepaired: boolean;
  timer: NodeJS.Timeout;
};

/** How often this process's writes read a whole room (a kept document could not serve). */
export const roomDocReads = { whole: 0 };

/** By database and room: a process that moves to another database (the bench, tests) starts afresh there. */
const cache = new Map<string, Cached>();
const keyOf = (room: string) => `${getEnv().DATABASE_URL ?? ""}\u0000${room}`;

/** A room's document, held by one write; `keep` it once the write has committed. */
export type HeldRoomDoc = {
  doc: Y.Doc;
  /** Nothing was stored for the room (a projection seeds it). */
  isEmpty: boolean;
  /** Rows in the room's log (besides its snapshot). */
  rowCount: number;
  /** The log rows the document holds, ascending. */
  rowIds: readonly bigint[];
  /** The snapshot's `throughId` (null: no snapshot). */
  throughId: bigint | null;
  /**
   * Some row or the snapshot was applied in a repaired form (update-log.ts, `applyStoredRoom`):
   * the stored bytes must be quarantined before they are merged away, which only
   * `compactRoom` does.
   */
  isRepaired: boolean;
  /**
   * After the write's commit: keep the document for the next write, with the row it appended.
   * A write that fails never calls it, and its document is left to the garbage collector.
   */
  keep(appendedId: bigint | null): void;
  /** After a compaction from this document committed: keep it as the snapshot through `throughId`, no rows. */
  keepMerged(throughId: bigint): void;
};

/** The room's document as stored, inside `tx`, which must hold the room's lock. */
export async function openRoomDoc(tx: Tx, room: string): Promise<HeldRoomDoc> {
  const key = keyOf(room);
  const snapshot = await tx.ySnapshot.findUnique({ where: { room }, select: { throughId: true } });
  const ids = (
    await tx.yUpdate.findMany({ where: { room }, orderBy: { id: "asc" }, select: { id: true } })
  ).map((row) => row.id);
  const throughId = snapshot?.throughId ?? null;
  const cached = take(key);
  if (cached && cached.throughId === throughId && startsWith(ids, cached.rowIds)) {
    const newer = ids.slice(cached.rowIds.length);
    let isRepaired = cached.isRepaired;
    if (newer.length > 0) {
      const rows = await tx.yUpdate.findMany({
        where: { id: { in: newer } },
        orderBy: { id: "asc" },
        select: { id: true, data: true },
      });
      if (applyStoredRoom(cached.doc, { snapshot: null, rows }).length > 0) isRepaired = true;
    }
    return hold(key, { doc: cached.doc, throughId, rowIds: ids, isRepaired }, false);
  }
  roomDocReads.whole++;
  const stored = await readRoom(room, tx);
  const doc = new Y.Doc();
  const findings = applyStoredRoom(doc, stored);
  return hold(
    key,
    {
      doc,
      throughId: stored.snapshot?.throughId ?? null,
      rowIds: stored.rows.map((row) => row.id),
      isRepaired: findings.length > 0,
    },
    isEmpty(stored),
  );
}

function hold(key: string, entry: Omit<Cached, "timer">, empty: boolean): HeldRoomDoc {
  const { doc, throughId, rowIds, isRepaired } = entry;
  return {
    doc,
    isEmpty: empty,
    rowCount: rowIds.length,
    rowIds,
    throughId,
    isRepaired,
    // Whatever another write of this process kept meanwhile is replaced: the next open checks
    // the kept rows against the log anyway.
    keep: (appendedId) =>
      put(key, { ...entry, rowIds: appendedId === null ? rowIds : [...rowIds, appendedId] }),
    // The merged snapshot holds the repaired forms only: nothing applied any more is repaired.
    keepMerged: (mergedThroughId) =>
      put(key, { doc, throughId: mergedThroughId, rowIds: [], isRepaired: false }),
  };
}

function put(key: string, entry: Omit<Cached, "timer">) {
  take(key);
  const timer = setTimeout(() => take(key), IDLE_MS);
  timer.unref();
  cache.set(key, { ...entry, timer });
  while (cache.size > MAX_ROOMS) take(cache.keys().next().value as string);
}

/** Takes a room's document out of the cache (a write holds it, or it goes). */
function take(key: string): Cached | undefined {
  const entry = cache.get(key);
  if (!entry) return undefined;
  cache.delete(key);
  clearTimeout(entry.timer);
  return entry;
}

function startsWith(ids: bigint[], prefix: bigint[]): boolean {
  if (prefix.length > ids.length) return false;
  for (let i = 0; i < prefix.length; i++) if (ids[i] !== prefix[i]) return false;
  return true;
}
