import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import { concatBytes } from "./concat-bytes";
import { inspectUpdate } from "./inspect-update";

/** The parts of a decoded update {@link withoutUnknownDeletions} reads. */
type DecodedUpdate = {
  structs: readonly { id: Y.ID; length: number }[];
  ds: { clients: Map<number, readonly { clock: number; len: number }[]> };
};

/**
 * `update` without the parts `doc` already holds and without deletions of
 * content nobody has.
 *
 * The first is Yjs's own diff against the document's state (for the update's
 * clients only: a room's state vector names every client that ever wrote in
 * it), which cuts a struct that starts below the room's clock for its client
 * down to the part the room lacks, with its left neighbour as origin. Yjs can
 * integrate such an overlapping struct itself, but when the room holds that
 * neighbour as garbage-collected (a GC struct) and the struct names a live
 * parent, integration throws halfway through a transaction (found by
 * `npm run soak -- --fuzz`; reproduced in server/collab/update-guard.test.ts).
 * The trimmed struct's origin is the GC, so Yjs makes it garbage too, as it
 * does for every struct it receives next to one.
 *
 * The second: see {@link withoutUnknownDeletions}.
 */
export function trimToDoc(doc: Y.Doc, update: Uint8Array): Uint8Array {
  return trimDecoded(doc, update).update;
}

/**
 * {@link trimToDoc}, also giving the structs of what it returns (for checks
 * that would otherwise decode it again, as loading does per stored row). The
 * update is decoded once, and again only when it overlapped and was cut.
 */
export function trimDecoded(
  doc: Y.Doc,
  update: Uint8Array,
): { update: Uint8Array; structs: DecodedUpdate["structs"] } {
  let lacking = update;
  let decoded: DecodedUpdate = Y.decodeUpdate(update);
  const overlaps = decoded.structs.some(
    (struct) => struct.id.clock < Y.getState(doc.store, struct.id.client),
  );
  if (overlaps) {
    lacking = Y.diffUpdate(update, stateVectorFor(doc, decoded));
    decoded = Y.decodeUpdate(lacking);
  }
  // Cutting deletions leaves the structs as they are.
  return { update: withoutUnknownDeletions(doc, lacking, decoded), structs: decoded.structs };
}

/** `doc`'s state vector restricted to the clients `update` writes for. */
function stateVectorFor(doc: Y.Doc, update: DecodedUpdate): Uint8Array {
  const states = new Map<number, number>();
  for (const struct of update.structs) {
    const { client } = struct.id;
    if (!states.has(client)) states.set(client, Y.getState(doc.store, client));
  }
  return Y.encodeStateVector(states);
}

/**
 * `update` (decoded as `decoded`) without its deletions of content that
 * neither `doc` nor the update itself holds, and without empty ranges;
 * `update` itself when it has none.
 *
 * Yjs keeps such a deletion as "pending" on the document, waiting for content
 * that will never come: from then on every sync merges it into what it sends
 * (a full merge of the room per newcomer) and every later update takes the
 * guard's slow probe path, since a room with something pending no longer
 * integrates updates directly. One delete-only update naming an unknown
 * client did this to a room for good (found profiling `npm run soak -- --fuzz`).
 * No client deletes what it has not seen, and a client's sync step 2 always
 * carries its whole delete set, so nothing a client really deleted is lost.
 */
export function withoutUnknownDeletions(doc: Y.Doc, update: Uint8Array, decoded: DecodedUpdate): Uint8Array {
  const known = new Map<number, number>();
  for (const struct of decoded.structs) {
    const { client, clock } = struct.id;
    known.set(client, Math.max(known.get(client) ?? 0, clock + struct.length));
  }
  const knownClock = (client: number) => Math.max(Y.getState(doc.store, client), known.get(client) ?? 0);
  let isCut = false;
  const kept = new Map<number, { clock: number; len: number }[]>();
  for (const [client, ranges] of decoded.ds.clients) {
    const end = knownClock(client);
    const clientKept: { clock: number; len: number }[] = [];
    for (const range of ranges) {
      if (range.len === 0) {
        // Deletes nothing, yet one at the room's clock is kept as pending, and Yjs throws
        // re-encoding a pending range of length 0 (found by the fuzzer: a room-wide 1011).
        isCut = true;
      } else if (range.clock + range.len <= end) {
        clientKept.push(range);
      } else {
        isCut = true;
        if (range.clock < end) clientKept.push({ clock: range.clock, len: end - range.clock });
      }
    }
    if (clientKept.length > 0) kept.set(client, clientKept);
  }
  if (!isCut) return update;
  const inspection = inspectUpdate(update);
  // It decoded, so it can be read; an unreadable one goes back whole for the caller to refuse.
  if (!inspection.isReadable) return update;
  return concatBytes([update.subarray(0, inspection.deleteSetOffset), encodeDeleteSet(kept)]);
}

/**
 * True when some struct of `structs` would wait as pending: it starts past the
 * room's clock for its client (or past the end of the update's previous struct
 * for it), it is a skip (a gap inside a merged update), or it refers (by
 * origin, right origin or parent) to content neither the room nor the update
 * holds. Yjs keeps such a struct, and everything after it, until the missing
 * clocks arrive, which for a forged reference is never; meanwhile every sync
 * merges it into what it sends. No client sends one: what it writes builds on
 * what it has, and the server has that (an edit sent before the sync step 2
 * carrying its offline predecessors is asked for again, as for an unknown
 * parent).
 */
export function leavesPending(doc: Y.Doc, structs: DecodedUpdate["structs"]): boolean {
  const ends = new Map<number, number>();
  for (const struct of structs) {
    if (!(struct instanceof Y.Item) && !(struct instanceof Y.GC)) return true;
    const { client, clock } = struct.id;
    if (clock !== (ends.get(client) ?? Y.getState(doc.store, client))) return true;
    ends.set(client, clock + struct.length);
  }
  // Each client's structs now run on from the room's clock, so an id is held exactly when its
  // clock is below the end of the update's structs for its client, or else the room's clock.
  const isHeld = (id: Y.ID) => id.clock < (ends.get(id.client) ?? Y.getState(doc.store, id.client));
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    const { origin, rightOrigin, parent } = struct;
    if (origin && !isHeld(origin)) return true;
    if (rightOrigin && !isHeld(rightOrigin)) return true;
    if (parent instanceof Y.ID && !isHeld(parent)) return true;
  }
  return false;
}

/** A delete set in Yjs's v1 encoding (`writeDeleteSet` with a `DSEncoderV1`). */
function encodeDeleteSet(clients: Map<number, { clock: number; len: number }[]>): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, clients.size);
  for (const [client, ranges] of clients) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, ranges.length);
    for (const range of ranges) {
      encoding.writeVarUint(encoder, range.clock);
      encoding.writeVarUint(encoder, range.len);
    }
  }
  return encoding.toUint8Array(encoder);
}
