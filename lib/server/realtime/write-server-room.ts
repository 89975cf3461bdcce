/**
 * Server-written rooms (`seminar:`; docs/architecture.md §2, §4): one Postgres transaction
 * writes the domain rows *and* the Yjs update of the room, then every collab
 * process holding the room applies it (NOTIFY carries the new row's id; each
 * process's listener fetches it, and catches up from the log whenever it
 * reconnects). A 2xx from the API therefore means committed, everywhere.
 */
import * as Y from "yjs";
import { db, type Tx } from "../db";
import { appendUpdate, compactRoom, lockRoom, storeMerged } from "./update-log";
import { openRoomDoc } from "./room-doc-cache";
import { compactionThresholds } from "./compaction-thresholds";

/** What a server-room write produced. */
export type ServerRoomWrite<T> = {
  /** The write callback's result. */
  result: T;
  /** Id of the appended log row, or null when the write changed nothing in the room. */
  updateId: bigint | null;
};

/**
 * Runs `write` in a transaction holding the room's advisory lock, with the
 * room's current Y.Doc. Whatever `write` changes in the doc is appended to
 * the room's log in the same transaction.
 */
export async function writeServerRoom<T>(
  room: string,
  write: (tx: Tx, doc: Y.Doc) => Promise<T>,
  options: {
    /** Fills a room that has nothing stored yet (a projection's first write), in the same transaction. */
    seed?: (tx: Tx, doc: Y.Doc) => Promise<void>;
  } = {},
): Promise<ServerRoomWrite<T>> {
  const { result, updateId, held } = await db.$transaction(
    async (tx) => {
      await lockRoom(tx, room);
      // The room's document, from the last write when it still matches the log (room-doc-cache.ts).
      const opened = await openRoomDoc(tx, room);
      const { doc } = opened;
      // Exactly what `seed` and `write` change, deletions included.
      const changes: Uint8Array[] = [];
      const collect = (update: Uint8Array) => changes.push(update);
      doc.on("update", collect);
      try {
        if (options.seed && opened.isEmpty) await options.seed(tx, doc);
        const result = await write(tx, doc);
        const updateId =
          changes.length > 0 ? await appendUpdate(tx, room, Y.mergeUpdates(changes), "server") : null;
        return { result, updateId, held: opened };
      } finally {
        doc.off("update", collect);
      }
    },
    { timeout: 20_000 },
  );
  // Committed: the document is the room as stored now. (A failed write's is never kept.)
  held.keep(updateId);
  const { serverWrite } = compactionThresholds;
  if (held.rowCount + 1 >= serverWrite) await compactServerRoom(room, serverWrite);
  return { result, updateId };
}

/**
 * Merges a server-written room's log into its snapshot under the room's lock, as
 * `compactRoom` does, but from the document the writes keep (room-doc-cache.ts): only the
 * log's ids and the rows newer than the kept document are read, and the document is kept
 * afterwards as the merged room, so the next write reads nothing more either. (Read from
 * the log, a 10,000-thread room's compaction reread and decoded ~9 MB under the lock, and
 * the next write did it again.) A room some of whose stored bytes had to be repaired on
 * the way in goes through `compactRoom`, which quarantines them before they are merged
 * away. Returns how many rows it merged.
 */
export async function compactServerRoom(room: string, minRows = 1): Promise<number> {
  const outcome = await db.$transaction(
    async (tx) => {
      await lockRoom(tx, room);
      const held = await openRoomDoc(tx, room);
      if (held.isRepaired) return { held, merged: null, throughId: null };
      if (held.rowCount < minRows) return { held, merged: 0, throughId: null };
      const throughId = await storeMerged(tx, room, held.doc, held);
      return { held, merged: held.rowIds.length, throughId };
    },
    { timeout: 30_000 },
  );
  const { held, merged, throughId } = outcome;
  // Not kept: compactRoom rereads the room, and the next write will too.
  if (merged === null) return compactRoom(room, minRows);
  if (throughId === null) held.keep(null);
  else held.keepMerged(throughId);
  return merged;
}
