/**
 * Anchors for tests: the real text room of a document (seeded as the collab
 * server seeds it), and anchors on phrases of it made as the browser makes them.
 */
import { yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { createAnchor, type StoredAnchor } from "../../lib/shared/anchors/anchor";
import { buildTextIndex, textOffsetToPos } from "../../lib/shared/anchors/text-index";
import { ROOT_TYPES, roomName } from "../../lib/shared/rooms";
import { getReadingSchema } from "../../lib/shared/schema/reading-schema";
import { seedTextRoom } from "../../lib/server/realtime/seed-text-room";
import { applyStoredRoom, loadRoom } from "../../lib/server/realtime/update-log";

/** The document's text room as stored (seeding it first if needed). */
export async function loadTextDoc(documentId: string): Promise<Y.Doc> {
  await seedTextRoom(documentId);
  const doc = new Y.Doc();
  applyStoredRoom(doc, await loadRoom(roomName({ kind: "text", documentId })));
  return doc;
}

/** An anchor on the `occurrence`-th appearance of `phrase` in the document's text. */
export async function anchorOn(documentId: string, phrase: string, occurrence = 0): Promise<StoredAnchor> {
  const doc = await loadTextDoc(documentId);
  try {
    const fragment = doc.getXmlFragment(ROOT_TYPES.text);
    const pmDoc = yXmlFragmentToProseMirrorRootNode(fragment, getReadingSchema());
    const index = buildTextIndex(pmDoc);
    let start = -1;
    for (let i = 0; i <= occurrence; i++) start = index.text.indexOf(phrase, start + 1);
    if (start < 0) throw new Error(`“${phrase}” is not in the text`);
    const from = textOffsetToPos(index.runs, start) as number;
    const to = textOffsetToPos(index.runs, start + phrase.length) as number;
    return createAnchor({ doc, fragment, pmDoc, from, to });
  } finally {
    doc.destroy();
  }
}
