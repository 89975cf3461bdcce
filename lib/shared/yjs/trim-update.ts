import * as Y from "yjs";

/**
 * `update` without the parts `doc` already holds: Yjs's own diff against the
 * document's state vector, which cuts a struct that starts below the room's
 * clock for its client down to the part the room lacks, with its left
 * neighbour as origin. Yjs can integrate such an overlapping struct itself,
 * but when the room holds that neighbour as garbage-collected (a GC struct)
 * and the struct names a live parent, integration throws halfway through a
 * transaction (found by `npm run soak -- --fuzz`; reproduced in
 * server/collab/update-guard.test.ts). The trimmed struct's origin is the GC, so Yjs makes
 * it garbage too, as it does for every struct it receives next to one.
 */
export function trimToDoc(doc: Y.Doc, update: Uint8Array): Uint8Array {
  // An empty document holds nothing to cut away (a room's first load: its snapshot).
  if (doc.store.clients.size === 0) return update;
  return Y.diffUpdate(update, Y.encodeStateVector(doc));
}
