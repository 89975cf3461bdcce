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
import { DEFAULT_VALUE_LIMITS, inspectUpdate, withoutOffendingValues } from "@/lib/shared/yjs/inspect-update";
import { leavesPending, trimDecoded } from "@/lib/shared/yjs/trim-update";
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

/** A stored row or snapshot that could not be loaded as it is (issue 9 §1). */
export type StoredFinding = {
  /** A `YUpdate` row or the room's `YSnapshot`. */
  source: "update" | "snapshot";
  /** The row's id, or the snapshot's `throughId`. */
  rowId: bigint;
  /** The bytes as stored. */
  original: Uint8Array;
  /** What can be kept: the same update with the offending values deleted; null when nothing can. */
  replacement: Uint8Array | null;
  /** What was wrong. */
  reason: string;
};

/**
 * Checks one stored update by walking its bytes (no recursion, so no stack
 * to overflow): returns what may be applied, and a finding when that is not
 * the bytes as stored.
 */
function screen(
  source: StoredFinding["source"],
  rowId: bigint,
  data: Uint8Array,
): { safe: Uint8Array | null; finding: StoredFinding | null } {
  const inspection = inspectUpdate(data, DEFAULT_VALUE_LIMITS);
  if (!inspection.isReadable) {
    return {
      safe: null,
      finding: {
        source,
        rowId,
        original: data,
        replacement: null,
        reason: `unreadable: ${inspection.detail}`,
      },
    };
  }
  if (inspection.offences.length === 0) return { safe: data, finding: null };
  const replacement = withoutOffendingValues(data, inspection.offences);
  const reason = inspection.offences
    .slice(0, 5)
    .map((offence) => `${offence.detail} at ${offence.client}:${offence.clock}`)
    .join("; ");
  const more = inspection.offences.length > 5 ? ` (and ${inspection.offences.length - 5} more)` : "";
  return {
    safe: replacement,
    finding: { source, rowId, original: data, replacement, reason: reason + more },
  };
}

/**
 * Applies what is stored for a room to `doc`, whatever is stored: returns
 * what could not be applied as stored, for {@link quarantineStoredData} to
 * move aside. Each row and the snapshot are checked before Yjs sees them
 * (Yjs decodes embedded values recursively, so one nested 5,000 levels deep
 * overflowed the stack of every loader, even after compaction had merged it
 * into the snapshot); a value over the limits is replaced by deleted content
 * of the same length, so later rows still integrate. A row Yjs still cannot
 * apply is skipped, not fatal: one bad row must not make a whole room
 * unloadable (the collab server refuses such updates before it commits them;
 * this is the second line of defence).
 */
export function applyStoredRoom(doc: Y.Doc, stored: StoredRoom, origin: unknown = "load"): StoredFinding[] {
  const findings: StoredFinding[] = [];
  const entries: { source: StoredFinding["source"]; id: bigint; data: Uint8Array }[] = stored.rows.map(
    (row) => ({
      source: "update",
      ...row,
    }),
  );
  if (stored.snapshot)
    entries.unshift({ source: "snapshot", id: stored.snapshot.throughId, data: stored.snapshot.state });
  for (const entry of entries) {
    const { safe, finding } = screen(entry.source, entry.id, entry.data);
    if (safe) {
      try {
        // Trimmed to what the document lacks: a row that overlaps earlier ones next to garbage
        // makes Yjs throw halfway (lib/shared/yjs/trim-update.ts).
        const trimmed = trimDecoded(doc, safe);
        // A log row never starts past what the rows before it hold (the server checks each
        // against the room first); one that does would wait as pending for good.
        if (entry.source === "update" && leavesPending(doc, trimmed.structs)) {
          findings.push({
            source: entry.source,
            rowId: entry.id,
            original: entry.data,
            replacement: null,
            reason:
              "it starts past, or refers to content beyond, what the room holds: Yjs would keep it waiting for good",
          });
          continue;
        }
        Y.applyUpdate(doc, trimmed.update, origin);
      } catch (error) {
        findings.push({
          source: entry.source,
          rowId: entry.id,
          original: entry.data,
          replacement: null,
          reason: `Yjs could not apply it: ${error instanceof Error ? error.message : String(error)}`,
        });
        continue;
      }
    }
    if (finding) findings.push(finding);
  }
  return findings;
}

/**
 * Moves what {@link applyStoredRoom} found aside, inside `tx`, which must
 * hold the room's lock: the original bytes go to `YQuarantine` with the
 * reason; the row or snapshot keeps the repaired bytes, or goes when nothing
 * can be kept. A row or snapshot that changed since it was read (compacted,
 * repaired by another process) is left alone. Returns how many were moved.
 */
export async function quarantineStoredData(tx: Tx, room: string, findings: StoredFinding[]): Promise<number> {
  let moved = 0;
  for (const finding of findings) {
    const isSame = (bytes: Uint8Array | undefined) =>
      bytes !== undefined && Buffer.compare(Buffer.from(bytes), Buffer.from(finding.original)) === 0;
    if (finding.source === "update") {
      const row = await tx.yUpdate.findFirst({ where: { id: finding.rowId, room }, select: { data: true } });
      if (!isSame(row?.data)) continue;
      if (finding.replacement)
        await tx.yUpdate.update({
          where: { id: finding.rowId },
          data: { data: toBytes(finding.replacement) },
        });
      else await tx.yUpdate.delete({ where: { id: finding.rowId } });
    } else {
      const snapshot = await tx.ySnapshot.findUnique({
        where: { room },
        select: { state: true, throughId: true },
      });
      if (snapshot?.throughId !== finding.rowId || !isSame(snapshot.state)) continue;
      if (finding.replacement) {
        const state = toBytes(finding.replacement);
        const stateVector = toBytes(Y.encodeStateVectorFromUpdate(state));
        await tx.ySnapshot.update({ where: { room }, data: { state, stateVector } });
      } else {
        // Nothing of it can be read: the room loads from its log rows alone (the bytes stay here).
        await tx.ySnapshot.delete({ where: { room } });
      }
    }
    await tx.yQuarantine.create({
      data: {
        room,
        source: finding.source,
        rowId: finding.rowId,
        data: toBytes(finding.original),
        reason: finding.reason.slice(0, 2000),
        action: finding.replacement ? "repaired" : "removed",
      },
    });
    moved++;
  }
  return moved;
}

/** {@link quarantineStoredData} in a transaction of its own, under the room's lock. */
export async function quarantineRoomData(room: string, findings: StoredFinding[]): Promise<number> {
  if (findings.length === 0) return 0;
  return db.$transaction(
    async (tx) => {
      await lockRoom(tx, room);
      return quarantineStoredData(tx, room, findings);
    },
    { timeout: 30_000 },
  );
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
 * Writes `doc` as the room's snapshot and deletes exactly the log rows it merged
 * (`merged.rowIds`); the snapshot's `throughId` becomes the newest of those and the
 * previous snapshot's. Returns that `throughId`. The caller holds the room's lock.
 */
export async function storeMerged(
  tx: Tx,
  room: string,
  doc: Y.Doc,
  merged: { rowIds: readonly bigint[]; throughId: bigint | null },
): Promise<bigint> {
  const state = toBytes(Y.encodeStateAsUpdate(doc));
  const stateVector = toBytes(Y.encodeStateVector(doc));
  const throughId = merged.rowIds.reduce((max, id) => (id > max ? id : max), merged.throughId ?? 0n);
  await tx.ySnapshot.upsert({
    where: { room },
    create: { room, state, stateVector, throughId },
    update: { state, stateVector, throughId },
  });
  await tx.yUpdate.deleteMany({ where: { id: { in: [...merged.rowIds] } } });
  return throughId;
}

/**
 * Merges a room's log into its snapshot under the room's advisory lock and
 * deletes exactly the rows it merged. Returns how many rows it merged. A row
 * (or snapshot) that fails the load-time check is quarantined in the same
 * transaction and only its repaired form is merged: compaction never merges
 * a value that cannot be decoded safely.
 */
export async function compactRoom(room: string, minRows = 1): Promise<number> {
  return db.$transaction(
    async (tx) => {
      await lockRoom(tx, room);
      const stored = await readRoom(room, tx);
      if (stored.rows.length < minRows) return 0;
      const doc = new Y.Doc({ gc: true });
      try {
        const findings = applyStoredRoom(doc, stored);
        if (findings.length > 0) await quarantineStoredData(tx, room, findings);
        await storeMerged(tx, room, doc, {
          rowIds: stored.rows.map((row) => row.id),
          throughId: stored.snapshot?.throughId ?? null,
        });
        return stored.rows.length;
      } finally {
        doc.destroy();
      }
    },
    { timeout: 30_000 },
  );
}
