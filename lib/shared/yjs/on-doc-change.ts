/**
 * Following a Y.Doc's changes without its `update` event. Yjs encodes every transaction
 * again for a doc that has an `update` listener, only to hand the bytes to the listener:
 * a reader that only needs to know that the doc changed pays for that encoding on every
 * update it receives (~160 ms for the first sync of a 10,000-thread seminar room in
 * Chromium, docs/adr/0032).
 */
import type * as Y from "yjs";

/**
 * Calls `listener` after each transaction that changed `doc` (after the doc's observers have
 * run), without asking Yjs to encode the update. Returns the unsubscribe.
 */
export function onDocChange(doc: Y.Doc, listener: () => void): () => void {
  const afterTransaction = (transaction: Y.Transaction) => {
    if (transaction.changed.size > 0) listener();
  };
  doc.on("afterTransaction", afterTransaction);
  return () => doc.off("afterTransaction", afterTransaction);
}
