/**
 * Per-person view rooms, `view:<seminarId>:<documentId>:<userId>` (docs/adr/0019). Yjs
 * cannot filter one document per reader, so a student who must post first on a
 * reading does not open the seminar room at all: the server writes them a room of
 * their own holding only what they may see yet (instructors' threads and replies,
 * guiding questions, their own threads and comments, the categories) and the gate
 * ("post 2 more to see your classmates' 37"). Classmates' words never enter it.
 *
 * The room is re-projected whole and diffed into the stored state, so it is right
 * whatever happened while nobody held it: on load by the collab server
 * ({@link ensureViewRoom}), and after every seminar-room write of a gated reading
 * ({@link syncViewRooms}, inside that write's transaction).
 */
import * as Y from "yjs";
import type {
  ProjectedAnnotation,
  ProjectedCategory,
  ProjectedComment,
} from "@/lib/shared/annotations/types";
import { encodeRoomEntry } from "@/lib/shared/annotations/room-entries";
import { toRoomEntries } from "@/lib/shared/annotations/thread-summary";
import { isVisibleBeforePosting, type PostFirstGate } from "@/lib/shared/post-first/post-first";
import { ROOT_TYPES, roomName } from "@/lib/shared/rooms";
import type { Tx } from "../db";
import {
  ANNOTATION_SELECT,
  presentAnnotation,
  presentComment,
  rolesOf,
  setIfChanged,
  type Role,
} from "./present-rows";
import { appendUpdate, applyStoredRoom, isEmpty, lockRoom, readRoom } from "./update-log";
import { writeServerRoom } from "./write-server-room";

/** A reading's shared threads, as rooms hold them. */
type ReadingThreads = {
  roles: Map<string, Role>;
  required: number | null;
  categories: ProjectedCategory[];
  threads: { annotation: ProjectedAnnotation; comments: ProjectedComment[] }[];
};

async function loadReadingThreads(tx: Tx, seminarId: string, documentId: string): Promise<ReadingThreads> {
  const [roles, reading, categoryRows, rows] = await Promise.all([
    rolesOf(tx, seminarId),
    tx.reading.findUnique({
      where: { seminarId_documentId: { seminarId, documentId } },
      select: { postFirstCount: true },
    }),
    tx.category.findMany({ where: { seminarId }, orderBy: { position: "asc" } }),
    tx.annotation.findMany({
      where: { seminarId, documentId, deletedAt: null },
      orderBy: { createdAt: "asc" },
      select: ANNOTATION_SELECT,
    }),
  ]);
  return {
    roles,
    required: reading?.postFirstCount ?? null,
    categories: categoryRows.map((row) => ({
      id: row.id,
      name: row.name,
      color: row.color,
      position: row.position,
    })),
    threads: rows.map((row) => ({
      annotation: presentAnnotation(row, roles),
      comments: row.comments.map((comment) => presentComment(row.id, comment, roles)),
    })),
  };
}

/**
 * The gate of one member on a reading, from its threads. Counts what the member
 * wrote (comments not deleted, in threads not deleted) and the classmates' threads
 * they do not see yet. Matches the SQL of lib/server/post-first/get-post-first-gate.ts.
 */
export function gateOf(reading: ReadingThreads, userId: string): PostFirstGate {
  const role = reading.roles.get(userId) ?? null;
  if (!reading.required || role !== "STUDENT")
    return { required: 0, posted: 0, hiddenCount: 0, isLocked: false };
  let posted = 0;
  let hiddenCount = 0;
  for (const { annotation, comments } of reading.threads) {
    for (const comment of comments)
      if (comment.authorId === userId && comment.deletedAt === null) posted += 1;
    if (!isVisibleBeforePosting({ id: annotation.authorId, role: annotation.authorRole }, userId))
      hiddenCount += 1;
  }
  const isLocked = posted < reading.required;
  return { required: reading.required, posted, hiddenCount: isLocked ? hiddenCount : 0, isLocked };
}

/** Replaces a map's entries with `entries`, touching only what differs. */
function reconcile(map: Y.Map<unknown>, entries: Map<string, unknown>) {
  for (const key of [...map.keys()]) if (!entries.has(key)) map.delete(key);
  for (const [key, value] of entries) setIfChanged(map, key, value);
}

/** Writes what `userId` may see of the reading, and their gate, into their view room's doc. */
function writeViewRoom(doc: Y.Doc, reading: ReadingThreads, userId: string) {
  const annotations = new Map<string, unknown>();
  const comments = new Map<string, unknown>();
  for (const thread of reading.threads) {
    const { annotation } = thread;
    if (!isVisibleBeforePosting({ id: annotation.authorId, role: annotation.authorRole }, userId)) continue;
    const visible = thread.comments.filter((comment) =>
      isVisibleBeforePosting({ id: comment.authorId, role: comment.authorRole }, userId),
    );
    // Lean as the seminar room is (docs/adr/0027): the summary counts only what this reader may see.
    const entries = toRoomEntries(annotation, visible);
    annotations.set(annotation.id, encodeRoomEntry(entries.annotation));
    for (const comment of entries.comments) comments.set(comment.id, encodeRoomEntry(comment));
  }
  const gate = gateOf(reading, userId);
  doc.transact(() => {
    reconcile(doc.getMap(ROOT_TYPES.categories), new Map(reading.categories.map((c) => [c.id, c])));
    reconcile(doc.getMap(ROOT_TYPES.annotations), annotations);
    reconcile(doc.getMap(ROOT_TYPES.comments), comments);
    reconcile(doc.getMap(ROOT_TYPES.gate), new Map(Object.entries(gate)));
  });
}

/** Fills or refreshes one person's view room (the collab server calls it when it loads the room). */
export async function ensureViewRoom(seminarId: string, documentId: string, userId: string): Promise<void> {
  await writeServerRoom(roomName({ kind: "view", seminarId, documentId, userId }), async (tx, doc) => {
    writeViewRoom(doc, await loadReadingThreads(tx, seminarId, documentId), userId);
  });
}

/**
 * Brings every stored view room of a reading up to date, inside the transaction of a
 * seminar-room write (which holds the seminar room's lock; view-room locks are always
 * taken after it, so two writers cannot wait on each other). Rooms nobody has opened
 * are left empty: {@link ensureViewRoom} fills them on first load. A reading without a
 * gate is skipped unless `force` (the gate was just turned off: open rooms must hear it).
 */
export async function syncViewRooms(
  tx: Tx,
  seminarId: string,
  documentId: string,
  options: { force?: boolean } = {},
): Promise<void> {
  const reading = await tx.reading.findUnique({
    where: { seminarId_documentId: { seminarId, documentId } },
    select: { postFirstCount: true },
  });
  if (!reading || (reading.postFirstCount === null && !options.force)) return;
  const students = await tx.membership.findMany({
    where: { seminarId, role: "STUDENT" },
    select: { userId: true },
  });
  let threads: ReadingThreads | null = null;
  for (const { userId } of students) {
    const room = roomName({ kind: "view", seminarId, documentId, userId });
    await lockRoom(tx, room);
    const stored = await readRoom(room, tx);
    if (isEmpty(stored)) continue;
    threads ??= await loadReadingThreads(tx, seminarId, documentId);
    const doc = new Y.Doc();
    try {
      applyStoredRoom(doc, stored);
      const changes: Uint8Array[] = [];
      doc.on("update", (update: Uint8Array) => changes.push(update));
      writeViewRoom(doc, threads, userId);
      if (changes.length > 0) await appendUpdate(tx, room, Y.mergeUpdates(changes), "server");
    } finally {
      doc.destroy();
    }
  }
}
