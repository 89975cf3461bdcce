/**
 * Cuts a large Yjs update (v1) into slices that a reader applies one after another, each in a
 * task of its own, ending in the same document as the whole update would: how the collab server
 * sends a large room's first sync (docs/adr/0036).
 *
 * A v1 update lists, client by client, runs of structs in clock order, each struct encoded on its
 * own (its id is implied by the run's first clock; its origins and parent are written in full),
 * then the delete set. So a slice can be made of the structs' own bytes: for each client, a run
 * of consecutive structs under a new header. The slices keep two orders:
 *
 * - a client's structs in clock order, as Yjs needs them;
 * - a struct after what it refers to (its origin, right origin, parent item) when that is in the
 *   update too: Yjs cannot integrate a struct whose references it lacks and keeps it, and every
 *   struct of its client after it, aside as pending, to be merged and read again with each later
 *   update. A room written by several processes has several clients whose entries refer to each
 *   other's; the slices take structs in the order Yjs itself integrates them.
 *
 * The delete set goes with the last slice, so a reader has the whole document, deletions
 * included, once it has applied that one. Structs whose references never come (an update that
 * is not whole) go in the last slice as they are, where Yjs handles them as it would have.
 */
import { concatBytes } from "./concat-bytes";
import { encodeVarUint as varUint, inspectUpdate, type StructSpan } from "./inspect-update";

/** One client's structs in the update, and how far the slices so far have taken them. */
type ClientRun = {
  client: number;
  structs: StructSpan[];
  /** Index of the next struct to take. */
  next: number;
};

/** The structs a slice takes from one client: consecutive, so one header covers them. */
type SliceRun = { client: number; firstClock: number; structs: StructSpan[] };

/**
 * `update` cut into as few slices of about `maxBytes` as it takes, of even size (a slice ends
 * with the struct that takes it past its share: no small last slice, which would not be worth
 * compressing); `[update]` when it is no larger, or when it cannot be read (the caller's checks
 * are the place to refuse it).
 */
export function sliceUpdate(update: Uint8Array, maxBytes: number): Uint8Array[] {
  if (update.byteLength <= maxBytes) return [update];
  const sliceBytes = update.byteLength / Math.ceil(update.byteLength / maxBytes);
  const runs = new Map<number, ClientRun>();
  const inspection = inspectUpdate(update, undefined, (struct) => {
    let run = runs.get(struct.client);
    if (!run) runs.set(struct.client, (run = { client: struct.client, structs: [], next: 0 }));
    run.structs.push(struct);
  });
  if (!inspection.isReadable) return [update];
  const deleteSet = update.subarray(inspection.deleteSetOffset);

  /** Per client in the update: the clock up to which its structs are in a slice (or were before the update). */
  const taken = new Map<number, number>();
  for (const run of runs.values()) taken.set(run.client, (run.structs[0] as StructSpan).clock);
  const isThere = (need: { client: number; clock: number }) => {
    const upTo = taken.get(need.client);
    // A client the update has nothing of: the reader has it already, or never will from here.
    return upTo === undefined || need.clock < upTo;
  };

  const slices: Uint8Array[] = [];
  let current = new Map<number, SliceRun>();
  let bytes = 0;
  /** Puts `run`'s next struct in the current slice. */
  const append = (run: ClientRun, struct: StructSpan) => {
    const sliceRun = current.get(run.client);
    if (sliceRun) sliceRun.structs.push(struct);
    else current.set(run.client, { client: run.client, firstClock: struct.clock, structs: [struct] });
    run.next++;
  };
  /** Puts `run`'s next struct in the current slice as ready; closes the slice once it has its share. */
  const take = (run: ClientRun, struct: StructSpan) => {
    append(run, struct);
    taken.set(run.client, struct.clock + struct.length);
    bytes += struct.end - struct.start;
    if (bytes >= sliceBytes) {
      slices.push(encodeSlice(update, [...current.values()], null));
      current = new Map();
      bytes = 0;
    }
  };

  // As Yjs integrates: each client's structs in order while what they need is there, moving on
  // to another client when one waits.
  for (let progressed = true; progressed;) {
    progressed = false;
    for (const run of runs.values()) {
      for (
        let struct = run.structs[run.next];
        struct && struct.needs.every(isThere);
        struct = run.structs[run.next]
      ) {
        take(run, struct);
        progressed = true;
      }
    }
  }
  // What never became ready goes last, in order: Yjs sorts it out as it would in one update.
  for (const run of runs.values()) {
    for (let struct = run.structs[run.next]; struct; struct = run.structs[run.next]) append(run, struct);
  }
  if (current.size > 0 || slices.length === 0)
    slices.push(encodeSlice(update, [...current.values()], deleteSet));
  else slices[slices.length - 1] = withDeleteSet(slices[slices.length - 1] as Uint8Array, deleteSet);
  return slices;
}

/** An update of `runs`' structs (their bytes as `update` has them) and `deleteSet` (none when null). */
function encodeSlice(
  update: Uint8Array,
  runs: readonly SliceRun[],
  deleteSet: Uint8Array | null,
): Uint8Array {
  const parts: Uint8Array[] = [varUint(runs.length)];
  for (const run of runs) {
    parts.push(varUint(run.structs.length), varUint(run.client), varUint(run.firstClock));
    for (const struct of run.structs) parts.push(update.subarray(struct.start, struct.end));
  }
  parts.push(deleteSet ?? NO_DELETIONS);
  return concatBytes(parts);
}

/** `slice` (which ends in an empty delete set) ending in `deleteSet` instead. */
function withDeleteSet(slice: Uint8Array, deleteSet: Uint8Array): Uint8Array {
  return concatBytes([slice.subarray(0, slice.byteLength - NO_DELETIONS.byteLength), deleteSet]);
}

/** An empty delete set: no clients. */
const NO_DELETIONS = Uint8Array.of(0);
