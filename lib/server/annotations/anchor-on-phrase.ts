/**
 * An anchor on a phrase of a document's current text, made as the browser
 * makes one (seeds and tests use it; people select text instead).
 */
import { yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import { createAnchor, type StoredAnchor } from "@/lib/shared/anchors/anchor";
import { buildTextIndex, textOffsetToPos } from "@/lib/shared/anchors/text-index";
import { AppError } from "@/lib/shared/errors";
import { ROOT_TYPES, roomName } from "@/lib/shared/rooms";
import { getReadingSchema } from "@/lib/shared/schema/reading-schema";
import { seedTextRoom } from "../realtime/seed-text-room";
import { loadRoomDoc } from "../realtime/load-room-doc";

/** The anchor of the `occurrence`-th appearance (0-based) of `phrase`; not_found when it is not in the text. */
export async function anchorOnPhrase(
  documentId: string,
  phrase: string,
  occurrence = 0,
): Promise<StoredAnchor> {
  await seedTextRoom(documentId);
  const doc = await loadRoomDoc(roomName({ kind: "text", documentId }));
  try {
    const fragment = doc.getXmlFragment(ROOT_TYPES.text);
    const pmDoc = yXmlFragmentToProseMirrorRootNode(fragment, getReadingSchema());
    const index = buildTextIndex(pmDoc);
    let start = -1;
    for (let i = 0; i <= occurrence; i++) start = index.text.indexOf(phrase, start + 1);
    if (start < 0) throw new AppError("not_found", `“${phrase}” is not in the text.`);
    const from = textOffsetToPos(index.runs, start) as number;
    const to = textOffsetToPos(index.runs, start + phrase.length) as number;
    return createAnchor({ doc, fragment, pmDoc, from, to });
  } finally {
    doc.destroy();
  }
}
