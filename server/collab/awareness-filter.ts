/**
 * Awareness from clients is rewritten before anyone sees it (docs/architecture.md §6):
 * only client ids the connection owns, the `user` field replaced by the
 * session's identity, states bounded in size, and only fields of the expected shape
 * kept (a `cursor` readers' pages can render; lib/shared/awareness-shape.ts).
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { keepKnownAwarenessFields } from "@/lib/shared/awareness-shape";

/** One entry of an awareness update. */
export type AwarenessEntry = { clientId: number; clock: number; state: Record<string, unknown> | null };

/** Parses an awareness update; throws on malformed input. */
export function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  if (count > 64) throw new Error("too many awareness entries");
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const json = decoding.readVarString(decoder);
    const state = JSON.parse(json) as unknown;
    if (state !== null && (typeof state !== "object" || Array.isArray(state)))
      throw new Error("awareness state must be an object");
    entries.push({ clientId, clock, state: state as Record<string, unknown> | null });
  }
  return entries;
}

/** Encodes entries in the awareness update format. */
export function encodeAwarenessUpdate(entries: AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, JSON.stringify(entry.state));
  }
  return encoding.toUint8Array(encoder);
}

/** The identity the server writes into every awareness state of a connection. */
export type AwarenessIdentity = { id: string; name: string; color: string; role: string | null };

/** A stable colour for a user id (readable as a caret and as a light selection). */
export function colorForUser(userId: string): string {
  const palette = ["#b5412b", "#2d6a8e", "#6b4fa3", "#2f7d4f", "#a8641b", "#a23b72", "#3c6e71", "#7a5c2e"];
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return palette[hash % palette.length] as string;
}

/**
 * Keeps the entries the connection may write: ids it owns, or a new id it claims when no one
 * else in the room owns it. Drops states over `maxStateBytes` (as sent), keeps only a
 * well-formed `cursor` of the rest, and writes `user`.
 *
 * An id is claimed only by a state the room will take: not by a removal, and not by a state
 * no newer than the room's (`knownClock`). y-websocket sends on every change its awareness
 * hears, others' included, so each reader echoes back whatever the server told it; the echo
 * of a reader's removal, once that reader's socket had closed, made the echoing connection
 * the id's owner, and the reader's own state was refused when it reconnected, for as long as
 * the echoing reader stayed.
 */
export function filterAwareness(
  entries: AwarenessEntry[],
  options: {
    owned: Set<number>;
    isOwnedByOther: (clientId: number) => boolean;
    /** The clock of the room's last state for a client id (kept after its removal); undefined if never seen. */
    knownClock: (clientId: number) => number | undefined;
    identity: AwarenessIdentity;
    maxStateBytes: number;
    maxClientIds: number;
  },
): AwarenessEntry[] {
  const accepted: AwarenessEntry[] = [];
  for (const entry of entries) {
    if (!options.owned.has(entry.clientId)) {
      if (entry.state === null || entry.clock <= (options.knownClock(entry.clientId) ?? 0)) continue;
      if (options.owned.size >= options.maxClientIds || options.isOwnedByOther(entry.clientId)) continue;
      options.owned.add(entry.clientId);
    }
    if (entry.state === null) {
      accepted.push(entry);
      continue;
    }
    if (JSON.stringify(entry.state).length > options.maxStateBytes) continue;
    const state = { ...keepKnownAwarenessFields(entry.state), user: options.identity };
    if (JSON.stringify(state).length > options.maxStateBytes) continue;
    accepted.push({ ...entry, state });
  }
  return accepted;
}
