/**
 * Lean threads at 10,000 (issue 12, docs/adr/0027): the seminar room a reader syncs holds
 * every thread, each with its first comment and a summary that agrees with the rows (its
 * count, and a version equal to the version of the full body); summed over the reading,
 * nothing is lost; full bodies load on demand and match the rows. Correctness only: the
 * bytes and times are measured by `npm run bench -- --only sync`.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { getThread } from "../../lib/server/annotations/get-thread";
import { db } from "../../lib/server/db";
import { loadDiscussionDoc } from "../../lib/server/realtime/load-discussion-doc";
import { loadRoomDoc } from "../../lib/server/realtime/load-room-doc";
import { versionOf } from "../../lib/shared/annotations/thread-summary";
import type { ProjectedAnnotation, ProjectedComment } from "../../lib/shared/annotations/types";
import { ROOT_TYPES, roomName } from "../../lib/shared/rooms";
import { seedReading } from "../helpers/large-discussion";
import { decodedEntries } from "../helpers/room-entries";

const THREADS = 10_000;

let reading: Awaited<ReturnType<typeof seedReading>>;
let room: { annotations: Map<string, ProjectedAnnotation>; comments: ProjectedComment[]; bytes: number };
let full: { comments: Map<string, ProjectedComment[]>; bytes: number };

beforeAll(async () => {
  reading = await seedReading(THREADS);
  const roomDoc = await loadRoomDoc(
    roomName({ kind: "seminar", seminarId: reading.seminarId, documentId: reading.documentId }),
  );
  const fullDoc = await loadDiscussionDoc(reading.seminarId, reading.documentId);
  try {
    room = {
      annotations: new Map(
        Object.entries(decodedEntries<ProjectedAnnotation>(roomDoc.getMap(ROOT_TYPES.annotations))),
      ),
      comments: Object.values(decodedEntries<ProjectedComment>(roomDoc.getMap(ROOT_TYPES.comments))),
      bytes: Y.encodeStateAsUpdate(roomDoc).byteLength,
    };
    const byThread = new Map<string, ProjectedComment[]>();
    for (const comment of Object.values(
      decodedEntries<ProjectedComment>(fullDoc.getMap(ROOT_TYPES.comments)),
    )) {
      const list = byThread.get(comment.annotationId) ?? [];
      list.push(comment);
      byThread.set(comment.annotationId, list);
    }
    for (const list of byThread.values()) list.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    full = { comments: byThread, bytes: Y.encodeStateAsUpdate(fullDoc).byteLength };
    // The figures docs/adr/0027 quotes: the state a reader syncs, lean, and the whole discussion.
    console.log(
      `[lean-threads] ${THREADS} threads: lean room ${room.bytes} bytes, full discussion ${full.bytes} bytes`,
    );
  } finally {
    roomDoc.destroy();
    fullDoc.destroy();
  }
}, 600_000);

describe("lean threads at 10,000", () => {
  it("holds every thread of the rows, each with a summary", async () => {
    const rows = await db.annotation.findMany({
      where: { seminarId: reading.seminarId, documentId: reading.documentId, deletedAt: null },
      select: { id: true },
    });
    expect(rows).toHaveLength(THREADS);
    expect([...room.annotations.keys()].sort()).toEqual(rows.map((row) => row.id).sort());
    for (const annotation of room.annotations.values()) expect(annotation.thread).toBeDefined();
  });

  it("summarises each thread as its full body is: same count, same version", () => {
    let mismatched = 0;
    for (const [id, annotation] of room.annotations) {
      const comments = full.comments.get(id) ?? [];
      if (
        annotation.thread?.commentCount !== comments.length ||
        annotation.thread.version !== versionOf(comments)
      )
        mismatched += 1;
    }
    expect(mismatched).toBe(0);
  });

  it("carries each thread's first comment, and loses none: the counts add up to the rows", async () => {
    const firsts = [...full.comments.values()].map((list) => (list[0] as ProjectedComment).id).sort();
    expect(room.comments.map((comment) => comment.id).sort()).toEqual(firsts);
    const counted = [...room.annotations.values()].reduce(
      (sum, annotation) => sum + (annotation.thread?.commentCount ?? 0),
      0,
    );
    const stored = await db.comment.count({ where: { annotation: { seminarId: reading.seminarId } } });
    expect(counted).toBe(stored);
    // The lean room is smaller than the full discussion it summarises.
    expect(room.bytes).toBeLessThan(full.bytes);
  });

  it("loads full bodies on demand that match the rows and the room's versions", async () => {
    const ids = [...room.annotations.keys()].filter((_, i) => i % 250 === 0);
    for (const id of ids) {
      const body = await getThread(reading.actor, id);
      const rows = await db.comment.findMany({
        where: { annotationId: id },
        orderBy: { createdAt: "asc" },
        select: { id: true },
      });
      expect(body.comments.map((comment) => comment.id)).toEqual(rows.map((row) => row.id));
      expect(body.version).toBe(room.annotations.get(id)?.thread?.version);
    }
  });
});
