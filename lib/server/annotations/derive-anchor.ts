/**
 * The quote and offsets of a new annotation, read from the current text by
 * the server (issue 9 §4). A browser sends the anchor's relative positions
 * and its quote; the quote is shown to everyone else (review page, exports,
 * snapshots), so trusting it would let a student make others read words that
 * are not in the text. The positions say where the passage is; the words come
 * from the text room, as createAnchor in the browser reads them.
 */
import { yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import { createAnchor, decodeRelativePosition, type StoredAnchor } from "@/lib/shared/anchors/anchor";
import { buildTextIndex } from "@/lib/shared/anchors/text-index";
import { createPositionMapper } from "@/lib/shared/anchors/y-positions";
import { AppError } from "@/lib/shared/errors";
import { ROOT_TYPES, roomName } from "@/lib/shared/rooms";
import { getReadingSchema } from "@/lib/shared/schema/reading-schema";
import { seedTextRoom } from "../realtime/seed-text-room";
import { loadRoomDoc } from "../realtime/load-room-doc";

const NOT_IN_TEXT = "That passage is not in the current text; select it again.";

/**
 * The anchor with its quote (exact, prefix, suffix) and position replaced by
 * what its relative positions cover in the document's current text; the
 * client's quote and offsets are ignored. invalid_input when the positions do
 * not resolve to live text of this document (another document's, deleted, or
 * made up).
 */
export async function deriveAnchor(documentId: string, anchor: StoredAnchor): Promise<StoredAnchor> {
  await seedTextRoom(documentId);
  const doc = await loadRoomDoc(roomName({ kind: "text", documentId }));
  try {
    const schema = getReadingSchema();
    const fragment = doc.getXmlFragment(ROOT_TYPES.text);
    const pmDoc = yXmlFragmentToProseMirrorRootNode(fragment, schema);
    const mapper = createPositionMapper(doc, fragment, schema);
    const start = decodeRelativePosition(anchor.start);
    const end = decodeRelativePosition(anchor.end);
    const from = start ? mapper.locate(start) : null;
    const to = end ? mapper.locate(end) : null;
    // A position bound to deleted characters stands where they were: the
    // passage the reader selected is gone (someone edited it meanwhile).
    if (!from || !to || from.isBoundContentDeleted || to.isBoundContentDeleted || from.pos >= to.pos) {
      throw new AppError("invalid_input", NOT_IN_TEXT);
    }
    let derived: StoredAnchor;
    try {
      derived = createAnchor({
        doc,
        fragment,
        pmDoc,
        from: from.pos,
        to: to.pos,
        index: buildTextIndex(pmDoc),
        mapper,
      });
    } catch (error) {
      if (error instanceof RangeError) throw new AppError("invalid_input", NOT_IN_TEXT);
      throw error;
    }
    // The client's positions are kept: they are what placed the passage.
    return { start: anchor.start, end: anchor.end, quote: derived.quote, position: derived.position };
  } finally {
    doc.destroy();
  }
}
