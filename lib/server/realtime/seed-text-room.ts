/**
 * A document's text is seeded into its `text:` room once, on the server,
 * from the stored ProseMirror JSON (docs/architecture.md §2), so every client and every
 * anchor refers to the same Yjs items. Seeding takes the room's advisory
 * lock and re-checks under it, so two collab processes loading the same new
 * room seed it once.
 */
import { prosemirrorJSONToYXmlFragment } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { ROOT_TYPES, roomName } from "@/lib/shared/rooms";
import { getReadingSchema } from "@/lib/shared/schema/reading-schema";
import { db } from "../db";
import { appendUpdate, isEmpty, lockRoom, readRoom } from "./update-log";

/** The Yjs update that holds a document's text, built from its ProseMirror JSON. */
export function buildTextSeed(content: unknown): Uint8Array {
  const doc = new Y.Doc();
  try {
    prosemirrorJSONToYXmlFragment(getReadingSchema(), content, doc.getXmlFragment(ROOT_TYPES.text));
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

/** Seeds the document's text room if nothing is stored for it yet. Returns true when it seeded. */
export async function seedTextRoom(documentId: string, processId = "server"): Promise<boolean> {
  const room = roomName({ kind: "text", documentId });
  return db.$transaction(async (tx) => {
    await lockRoom(tx, room);
    if (!isEmpty(await readRoom(room, tx))) return false;
    const document = await tx.document.findUnique({ where: { id: documentId }, select: { content: true } });
    if (!document) return false;
    await appendUpdate(tx, room, buildTextSeed(document.content), "seed", processId);
    return true;
  });
}
