import type { JSONContent } from "@tiptap/core";
import { yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import { ROOT_TYPES, roomName } from "@/lib/shared/rooms";
import { getReadingSchema } from "@/lib/shared/schema/reading-schema";
import { db } from "../db";
import { loadRoomDoc } from "../realtime/load-room-doc";

/**
 * A document's text as it reads now: its text room's state when the room
 * has been opened (live edits included), else the stored content.
 */
export async function getCurrentText(documentId: string): Promise<JSONContent | null> {
  const document = await db.document.findUnique({ where: { id: documentId }, select: { content: true } });
  if (!document) return null;
  const doc = await loadRoomDoc(roomName({ kind: "text", documentId }));
  try {
    const fragment = doc.getXmlFragment(ROOT_TYPES.text);
    if (fragment.length === 0) return document.content as JSONContent;
    return yXmlFragmentToProseMirrorRootNode(fragment, getReadingSchema()).toJSON() as JSONContent;
  } finally {
    doc.destroy();
  }
}
