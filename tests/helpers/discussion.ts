/**
 * Building a seminar's discussion for review and snapshot tests: threads and
 * replies through the real domain functions (rows and seminar room written
 * together), private notes written into their owner's notes room as that
 * owner's browser would.
 */
import * as Y from "yjs";
import { createAnnotation } from "../../lib/server/annotations/create-annotation";
import { createComment } from "../../lib/server/annotations/create-comment";
import { getThread } from "../../lib/server/annotations/get-thread";
import { db } from "../../lib/server/db";
import { loadRoomDoc } from "../../lib/server/realtime/load-room-doc";
import { decodeRoomEntry } from "../../lib/shared/annotations/room-entries";
import type { ProjectedComment } from "../../lib/shared/annotations/types";
import { writeServerRoom } from "../../lib/server/realtime/write-server-room";
import { textToCommentBody } from "../../lib/shared/comments/comment-body";
import { ROOT_TYPES, roomName } from "../../lib/shared/rooms";
import { anchorOn } from "./anchors";

let counter = 0;

/** An id as the browser makes them (lowercase letters and digits, 16–40 long). */
export function newTestId(): string {
  return `t${Date.now().toString(36)}${(counter++).toString(36).padStart(10, "0")}`;
}

/** Starts a shared thread on `phrase`; returns its id. */
export async function startThread(
  user: { id: string },
  seminar: { id: string; documentId: string | null },
  input: {
    kind: "HIGHLIGHT" | "COMMENT" | "GUIDING_QUESTION";
    phrase: string;
    text?: string;
    categoryId?: string | null;
  },
): Promise<string> {
  const documentId = seminar.documentId as string;
  const id = newTestId();
  await createAnnotation({ userId: user.id }, seminar.id, documentId, {
    id,
    kind: input.kind,
    categoryId: input.categoryId ?? null,
    anchor: await anchorOn(documentId, input.phrase),
    ...(input.text ? { body: textToCommentBody(input.text), commentId: newTestId() } : {}),
  });
  return id;
}

/** Replies in a thread; returns the comment's id. */
export async function reply(user: { id: string }, threadId: string, text: string): Promise<string> {
  const id = newTestId();
  await createComment({ userId: user.id }, threadId, { id, body: textToCommentBody(text) });
  return id;
}

/**
 * A comment as a member receives it: from the seminar room when the room carries it (a
 * thread's first comment), else from its thread's full body as `readerId` loads it on
 * demand (docs/adr/0027: the room carries first comments only). Undefined when neither has it.
 */
export async function receivedComment(
  seminar: { id: string; documentId: string | null },
  commentId: string,
  readerId: string,
): Promise<ProjectedComment | undefined> {
  const doc = await loadRoomDoc(
    roomName({ kind: "seminar", seminarId: seminar.id, documentId: seminar.documentId as string }),
  );
  try {
    const inRoom = decodeRoomEntry(doc.getMap(ROOT_TYPES.comments).get(commentId)) as
      ProjectedComment | undefined;
    if (inRoom) return inRoom;
  } finally {
    doc.destroy();
  }
  const row = await db.comment.findUnique({ where: { id: commentId }, select: { annotationId: true } });
  if (!row) return undefined;
  const body = await getThread({ userId: readerId }, row.annotationId);
  return body.comments.find((comment) => comment.id === commentId);
}

/** Writes a private note into `userId`'s notes room, as their browser does. */
export async function writePrivateNote(
  documentId: string,
  userId: string,
  input: { phrase: string; text: string; createdAt?: string; id?: string },
): Promise<string> {
  const id = input.id ?? newTestId();
  const anchor = await anchorOn(documentId, input.phrase);
  const at = input.createdAt ?? new Date().toISOString();
  await writeServerRoom(roomName({ kind: "notes", documentId, userId }), (_tx, doc) => {
    doc
      .getMap(ROOT_TYPES.annotations)
      .set(id, { id, anchor, body: textToCommentBody(input.text), createdAt: at, updatedAt: at });
    return Promise.resolve();
  });
  return id;
}

/** An instructor deletes a paragraph of the text, as the editor would, in the text room. */
export async function deleteParagraph(documentId: string, startsWith: string): Promise<void> {
  await writeServerRoom(roomName({ kind: "text", documentId }), (_tx, doc) => {
    const fragment = doc.getXmlFragment(ROOT_TYPES.text);
    const startsParagraph = (node: unknown) => {
      if (!(node instanceof Y.XmlElement) || node.nodeName !== "paragraph") return false;
      const first: unknown = node.firstChild;
      return first instanceof Y.XmlText && first.toJSON().startsWith(startsWith);
    };
    const index = fragment.toArray().findIndex(startsParagraph);
    if (index < 0) throw new Error(`No paragraph starts with “${startsWith}”.`);
    fragment.delete(index, 1);
    return Promise.resolve();
  });
}

/**
 * An instructor changes words of the text, as the editor would, in the text
 * room: in the first text run holding `edit.in`, its first `edit.words` get
 * `edit.with` in their place (a delete and an insert, so anchors around them
 * keep their places).
 */
export async function replaceWords(
  documentId: string,
  edit: { in: string; words: string; with: string },
): Promise<void> {
  await writeServerRoom(roomName({ kind: "text", documentId }), (_tx, doc) => {
    const runs: Y.XmlText[] = [];
    const collect = (node: Y.XmlElement | Y.XmlFragment) => {
      for (const child of node.toArray()) {
        if (child instanceof Y.XmlText) runs.push(child);
        else if (child instanceof Y.XmlElement) collect(child);
      }
    };
    collect(doc.getXmlFragment(ROOT_TYPES.text));
    for (const run of runs) {
      // toString() would spell formatting as tags; the delta's inserts are the characters (an embed counts one).
      const delta = run.toDelta() as { insert: unknown }[];
      const plain = delta.map((op) => (typeof op.insert === "string" ? op.insert : "\uFFFC")).join("");
      const at = plain.indexOf(edit.in);
      const within = edit.in.indexOf(edit.words);
      if (at < 0 || within < 0) continue;
      run.delete(at + within, edit.words.length);
      run.insert(at + within, edit.with);
      return Promise.resolve();
    }
    throw new Error(`No text run holds “${edit.in}”.`);
  });
}
