/**
 * Checks a Yjs update before it is applied, committed or broadcast (issue 9
 * §1: a writer must not be able to make a room unloadable). First a walk of
 * its bytes that never recurses bounds the depth and size of every embedded
 * value (lib/shared/yjs/inspect-update.ts): Yjs's own decoder recurses once
 * per level of a value, so it must not see a deep one. Then decoding proves
 * it is well-formed; the depth check bounds how deeply it nests shared types,
 * counting through items the room already holds; an update whose parents the
 * room does not have is refused too (it would wait as "pending" until a later
 * update completes a chain too deep to check piecemeal).
 */
import * as Y from "yjs";
import { inspectUpdate } from "@/lib/shared/yjs/inspect-update";
import { leavesPending, trimToDoc, withoutUnknownDeletions } from "@/lib/shared/yjs/trim-update";

/** Why an update was refused; null when it may be applied. */
export type UpdateVerdict = null | {
  reason: "malformed" | "too-large" | "too-deep" | "unknown-parent";
  message: string;
};

export type StructLike = {
  id: Y.ID;
  length: number;
  parent?: Y.ID | string | null;
  origin?: Y.ID | null;
  rightOrigin?: Y.ID | null;
  content?: unknown;
};

/** What `Y.decodeUpdate` returns as `ds`: deleted ranges by client. */
export type DeleteSetLike = { clients: Map<number, { clock: number; len: number }[]> };

/**
 * True for the shape every Yjs client sends: only items (no GC or skip
 * structs), each client's structs contiguous and starting at or before the
 * room's clock for that client (nothing waits as pending), and deletions only
 * of ranges the room or the update holds, while the room itself has nothing
 * pending. Called after the depth walk, which has found every item's parent
 * and origin in the room or the update. Such an update integrates in one pass
 * on the room's document, the path Yjs takes for every ordinary edit; the
 * updates that decode yet throw (a GC struct far ahead of its clock, a delete
 * set of junk) are all outside this shape and still meet the probe.
 */
export function integratesDirectly(doc: Y.Doc, structs: StructLike[], deleteSet: DeleteSetLike): boolean {
  const store = doc.store as unknown as { pendingStructs: unknown; pendingDs: unknown };
  if (store.pendingStructs || store.pendingDs) return false;
  const ends = new Map<number, number>();
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) return false;
    const { client, clock } = struct.id;
    const end = ends.get(client);
    if (end === undefined ? clock > Y.getState(doc.store, client) : clock !== end) return false;
    ends.set(client, clock + struct.length);
  }
  for (const [client, ranges] of deleteSet.clients) {
    const known = Math.max(Y.getState(doc.store, client), ends.get(client) ?? 0);
    for (const range of ranges) if (range.clock + range.len > known) return false;
  }
  return true;
}

/** Depth (1 = child of a root type) of an item already integrated in `doc`. */
function depthInDoc(item: Y.Item, limit: number): number {
  let depth = 0;
  let parent = item.parent as Y.AbstractType<unknown> | null;
  while (parent && depth <= limit) {
    depth++;
    parent = parent._item ? (parent._item.parent as Y.AbstractType<unknown> | null) : null;
  }
  return depth;
}

/** Finds the struct of `doc` that contains `id`, or null. */
function findInDoc(doc: Y.Doc, id: Y.ID): Y.Item | Y.GC | null {
  const structs = doc.store.clients.get(id.client);
  if (!structs || structs.length === 0) return null;
  const last = structs[structs.length - 1] as Y.Item | Y.GC;
  if (id.clock >= last.id.clock + last.length) return null;
  return structs[Y.findIndexSS(structs, id.clock)] as Y.Item | Y.GC;
}

/** The limits {@link guardUpdate} applies (the collab config has them all). */
export type GuardLimits = {
  maxUpdateBytes: number;
  maxTypeDepth: number;
  maxValueDepth: number;
  maxValueBytes: number;
};

/** True when some struct of `structs` starts below `doc`'s clock for its client. */
function overlapsDoc(doc: Y.Doc, structs: StructLike[]): boolean {
  for (const struct of structs) {
    if (struct.id.clock < Y.getState(doc.store, struct.id.client)) return true;
  }
  return false;
}

/**
 * Checks `update` against `doc` (the room's current state). Never applies
 * it; never throws.
 */
export function checkUpdate(doc: Y.Doc, update: Uint8Array, limits: GuardLimits): UpdateVerdict {
  return guardUpdate(doc, update, limits).verdict;
}

/**
 * Checks `update` against `doc` and gives what to commit: the update itself,
 * or, when it overlaps what the room holds or deletes content nobody has, the
 * part the room lacks without those deletions ({@link trimToDoc}), checked in
 * its turn. Never applies it; never throws.
 */
export function guardUpdate(
  doc: Y.Doc,
  update: Uint8Array,
  limits: GuardLimits,
): { verdict: UpdateVerdict; update: Uint8Array } {
  const verdict = checkShape(doc, update, limits, (structs, deleteSet) => {
    let trimmed: Uint8Array;
    try {
      trimmed = overlapsDoc(doc, structs)
        ? trimToDoc(doc, update)
        : withoutUnknownDeletions(doc, update, { structs, ds: deleteSet });
    } catch {
      return { reason: "malformed", message: "update does not decode" };
    }
    if (trimmed === update) return null;
    // Trimmed, nothing starts below the room's clocks and nothing deleted is unknown, so this
    // check does not come back here.
    const result = guardUpdate(doc, trimmed, limits);
    update = result.update;
    return result.verdict ?? "trimmed";
  });
  return { verdict, update };
}

/**
 * The checks of {@link guardUpdate}. `onDecoded` sees the decoded structs
 * before the reference and depth checks: it may refuse (a verdict), hand the
 * decision over ("trimmed": the trimmed update was checked instead), or let
 * the checks go on (null).
 */
function checkShape(
  doc: Y.Doc,
  update: Uint8Array,
  limits: GuardLimits,
  onDecoded: (structs: StructLike[], deleteSet: DeleteSetLike) => UpdateVerdict | "trimmed",
): UpdateVerdict {
  if (update.byteLength > limits.maxUpdateBytes) {
    return {
      reason: "too-large",
      message: `update of ${update.byteLength} bytes exceeds ${limits.maxUpdateBytes}`,
    };
  }
  const inspection = inspectUpdate(update, limits);
  if (!inspection.isReadable)
    return { reason: "malformed", message: `update does not decode: ${inspection.detail}` };
  const offence = inspection.offences[0];
  if (offence) {
    return {
      reason: offence.reason === "invalid-json" ? "malformed" : offence.reason,
      message: `update carries a ${offence.detail}`,
    };
  }
  let structs: StructLike[];
  let deleteSet: DeleteSetLike;
  try {
    const decoded = Y.decodeUpdate(update);
    structs = decoded.structs as unknown as StructLike[];
    deleteSet = decoded.ds;
  } catch {
    return { reason: "malformed", message: "update does not decode" };
  }
  const handover = onDecoded(structs, deleteSet);
  if (handover === "trimmed") return null;
  if (handover) return handover;
  // An item can only refer (by origin, right origin or parent) to content that existed when it
  // was made, so a reference to its own client must point to an earlier clock. Yjs trusts this:
  // a forward reference to its own client is never counted as missing, and when the rest of the
  // item resolves against a room's content, integrating it throws halfway through a transaction
  // (found by `npm run soak -- --fuzz`: a bit-flipped update passed the empty-document probe
  // below, then threw in the room and forced a reload that closed every member with 1011).
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    const { client, clock } = struct.id;
    for (const reference of [struct.origin, struct.rightOrigin, struct.parent]) {
      if (reference instanceof Y.ID && reference.client === client && reference.clock >= clock) {
        return { reason: "malformed", message: "update refers forward to its own later content" };
      }
    }
  }

  // Structs of this update by client, in clock order (as encoded), for lookups of ids it creates itself.
  const byClient = new Map<number, StructLike[]>();
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    const list = byClient.get(struct.id.client) ?? [];
    list.push(struct);
    byClient.set(struct.id.client, list);
  }
  const findInUpdate = (id: Y.ID): StructLike | null => {
    const list = byClient.get(id.client);
    if (!list) return null;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const struct = list[mid] as StructLike;
      if (id.clock < struct.id.clock) hi = mid - 1;
      else if (id.clock >= struct.id.clock + struct.length) lo = mid + 1;
      else return struct;
    }
    return null;
  };

  if (leavesPending(doc, structs))
    return { reason: "unknown-parent", message: "update refers to content this room does not have" };

  const limit = limits.maxTypeDepth;
  const depths = new Map<StructLike, number>();

  /**
   * Depth of `start`: follows parent links (one level deeper each) and origin
   * links (a sibling, same depth) until it reaches an item of known depth, a
   * root type, or an item the room already holds. Iterative, so a hostile
   * chain cannot overflow our stack; memoised, so the whole check is linear.
   */
  const depthOf = (start: StructLike): number | "unknown" => {
    const path: { struct: StructLike; delta: number }[] = [];
    let current = start;
    let base: number;
    for (;;) {
      const memo = depths.get(current);
      if (memo !== undefined) {
        base = memo;
        break;
      }
      if (path.length > structs.length) return "unknown";
      const parent = current.parent;
      if (typeof parent === "string") {
        path.push({ struct: current, delta: 0 });
        base = 1;
        break;
      }
      const isChild = parent instanceof Y.ID;
      const reference = isChild ? parent : (current.origin ?? current.rightOrigin ?? null);
      if (!reference) return "unknown";
      const delta = isChild ? 1 : 0;
      const inUpdate = findInUpdate(reference);
      if (inUpdate && inUpdate !== current) {
        path.push({ struct: current, delta });
        current = inUpdate;
        continue;
      }
      const inDoc = findInDoc(doc, reference);
      if (!inDoc) return "unknown";
      path.push({ struct: current, delta });
      base = inDoc instanceof Y.GC ? 1 : depthInDoc(inDoc, limit);
      break;
    }
    let depth = base;
    for (let i = path.length - 1; i >= 0; i--) {
      const step = path[i] as { struct: StructLike; delta: number };
      depth += step.delta;
      depths.set(step.struct, depth);
    }
    return depths.get(start) ?? base;
  };

  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    const depth = depthOf(struct);
    if (depth === "unknown") {
      return { reason: "unknown-parent", message: "update refers to content this room does not have" };
    }
    if (depth > limit)
      return { reason: "too-deep", message: `update nests shared types deeper than ${limit} levels` };
  }
  // Some updates decode yet make Yjs throw when applied, on any document (found by
  // tests/collab/malformed-frames.test.ts). Committed, such a row would make the room
  // unloadable for everyone; applying it to an empty document catches them first. That probe
  // cost more than the rest of the guard and the commit together (a new Y.Doc, and Yjs's
  // pending-structs path, since nothing's parents are there), so an update that integrates
  // into the room as it stands skips it (docs/adr/0016-commit-path.md).
  if (integratesDirectly(doc, structs, deleteSet)) return null;
  const probe = new Y.Doc({ gc: false });
  try {
    Y.applyUpdate(probe, update);
  } catch {
    return { reason: "malformed", message: "update does not apply" };
  } finally {
    probe.destroy();
  }
  return null;
}
