/**
 * Server-written rooms (`seminar:`; docs/architecture.md §2, §4): one Postgres transaction
 * writes the domain rows *and* the Yjs update of the room, then every collab
 * process holding the room applies it (NOTIFY carries the new row's id; each
 * process's listener fetches it, and catches up from the log whenever it
 * reconnects). A 2xx from the API therefore means committed, everywhere.
 */
import * as Y from "yjs";
import { db, type Tx } from "../db";
import { appendUpdate, applyStoredRoom, compactRoom, isEmpty, lockRoom, readRoom } from "./update-log";
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
  let rowCount = 0;
  const outcome = await db.$transaction(
    async (tx) => {
      await lockRoom(tx, room);
      const stored = await readRoom(room, tx);
      rowCount = stored.rows.length;
      const doc = new Y.Doc();
      try {
        applyStoredRoom(doc, stored);
        // Exactly what `seed` and `write` change, deletions included.
        const changes: Uint8Array[] = [];
        doc.on("update", (update: Uint8Array) => changes.push(update));
        if (options.seed && isEmpty(stored)) await options.seed(tx, doc);
        const result = await write(tx, doc);
        const updateId =
          changes.length > 0 ? await appendUpdate(tx, room, Y.mergeUpdates(changes), "server") : null;
        return { result, updateId };
      } finally {
        doc.destroy();
      }
    },
    { timeout: 20_000 },
  );
  const { serverWrite } = compactionThresholds;
  if (rowCount + 1 >= serverWrite) await compactRoom(room, serverWrite);
  return outcome;
}
