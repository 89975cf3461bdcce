/**
 * A reading's current text (its text room, so an instructor's edits count)
 * and where anchors lie in it: the review, participation and snapshot views
 * place threads this way, as lib/server/exports/load-export-data.ts does.
 */
import type { JSONContent } from "@tiptap/core";
import { yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import { createAnchorResolver, type StoredAnchor } from "@/lib/shared/anchors/anchor";
import { buildTextIndex, posToTextOffset } from "@/lib/shared/anchors/text-index";
import { blockIndexAt, listTextBlocks, type TextBlock } from "@/lib/shared/review/text-blocks";
import { ROOT_TYPES, roomName } from "@/lib/shared/rooms";
import { getReadingSchema } from "@/lib/shared/schema/reading-schema";
import { loadRoomDoc } from "../realtime/load-room-doc";
import { seedTextRoom } from "../realtime/seed-text-room";

/** Where an anchor lies in the current text. */
export type Located = {
  /** Plain-text offsets. */
  start: number;
  end: number;
  /** The text block it starts in. */
  blockIndex: number | null;
  /** The passage's words as the text reads now (an instructor may have edited them since). */
  words: string;
};

/** The current text, read out of its room (plain data: nothing to destroy). */
export type CurrentText = {
  /** The text as ProseMirror JSON in the reading schema. */
  content: JSONContent;
  /** Its plain text (positions count in it). */
  plainText: string;
  blocks: TextBlock[];
};

/**
 * Loads the text room of a document (seeding it first if it never was), and
 * places anchors in it. The Y.Doc lives only inside this call: every anchor
 * to place is passed in, and their places come back by id (null: detached).
 */
export async function loadCurrentText(
  documentId: string,
  anchors: { id: string; anchor: StoredAnchor }[],
): Promise<{ text: CurrentText; located: Map<string, Located | null> }> {
  await seedTextRoom(documentId);
  const textDoc = await loadRoomDoc(roomName({ kind: "text", documentId }));
  try {
    const fragment = textDoc.getXmlFragment(ROOT_TYPES.text);
    const pmDoc = yXmlFragmentToProseMirrorRootNode(fragment, getReadingSchema());
    const index = buildTextIndex(pmDoc);
    const blocks = listTextBlocks(pmDoc);
    const resolve = createAnchorResolver({ doc: textDoc, fragment, pmDoc });
    const located = new Map<string, Located | null>();
    for (const { id, anchor } of anchors) {
      const resolution = resolve(anchor);
      if (resolution.status !== "anchored") {
        located.set(id, null);
        continue;
      }
      const start = posToTextOffset(index.runs, resolution.from) ?? 0;
      const end = posToTextOffset(index.runs, resolution.to) ?? start;
      located.set(id, {
        start,
        end,
        blockIndex: blockIndexAt(blocks, start),
        words: index.text.slice(start, end),
      });
    }
    return {
      text: { content: pmDoc.toJSON() as JSONContent, plainText: index.text, blocks },
      located,
    };
  } finally {
    textDoc.destroy();
  }
}
