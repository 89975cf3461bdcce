/**
 * The reader's private notes are written straight into their notes room
 * (`notes:<documentId>:<userId>`), never through the API: only the reader
 * and the server share that room, and the provider syncs it (docs/adr/0008).
 * Read back with readPrivateNotes (lib/shared/annotations/threads.ts).
 */
import type * as Y from "yjs";
import type { StoredAnchor } from "@/lib/shared/anchors/anchor";
import type { PrivateNote } from "@/lib/shared/annotations/types";
import type { CommentBody } from "@/lib/shared/comments/comment-body";
import { ROOT_TYPES } from "@/lib/shared/rooms";

function notesOf(notesDoc: Y.Doc): Y.Map<Record<string, unknown>> {
  return notesDoc.getMap<Record<string, unknown>>(ROOT_TYPES.annotations);
}

/** Saves a new note on a passage. */
export function createPrivateNote(
  notesDoc: Y.Doc,
  note: { id: string; anchor: StoredAnchor; body: CommentBody },
  now = new Date().toISOString(),
): void {
  const value: PrivateNote = {
    id: note.id,
    anchor: note.anchor,
    body: note.body,
    createdAt: now,
    updatedAt: now,
  };
  notesOf(notesDoc).set(note.id, value);
}

/** Replaces a note's words; a note that is gone stays gone. */
export function editPrivateNote(
  notesDoc: Y.Doc,
  id: string,
  body: CommentBody,
  now = new Date().toISOString(),
): void {
  const notes = notesOf(notesDoc);
  const note = notes.get(id);
  if (note) notes.set(id, { ...note, body, updatedAt: now });
}

/** Deletes a note. */
export function deletePrivateNote(notesDoc: Y.Doc, id: string): void {
  notesOf(notesDoc).delete(id);
}
