/**
 * The flat read of a reading's threads (`readAnnotationRows`) against Prisma's nested read
 * of the same rows (`ANNOTATION_SELECT`), on a real Postgres: whatever a thread holds
 * (replies, reactions, a hidden, a deleted or an edited comment, a resolved or pinned
 * thread, a category), both reads give the same values of the same types. And the
 * exports' read of the same discussion (`loadDiscussionThreads`: the three queries side by
 * side, presented threads not checked again) against the full room snapshots store, read
 * as a room is.
 */
import { describe, expect, it } from "vitest";
import { readCategories, readSeminarThreads, type Thread } from "@/lib/shared/annotations/threads";
import { db } from "../db";
import { seedReading } from "@/tests/helpers/large-discussion";
import { loadDiscussionDoc, loadDiscussionThreads } from "./load-discussion-doc";
import { ANNOTATION_SELECT, readAnnotationRows } from "./present-rows";

/**
 * A seeded reading whose threads hold every kind of row: hidden, deleted and edited
 * comments, reactions, a deleted thread. Seeded once per file (its ids are fixed).
 */
let seeding: ReturnType<typeof seedOnce> | undefined;
function seedEveryKindOfThread() {
  seeding ??= seedOnce();
  return seeding;
}

async function seedOnce() {
  const seeded = await seedReading(40);
  const { seminarId, documentId, instructor } = seeded;
  const comments = await db.comment.findMany({
    where: { annotation: { seminarId, documentId } },
    orderBy: { createdAt: "asc" },
    select: { id: true },
  });
  const [hidden, deleted, edited, reacted] = comments.map((comment) => comment.id);
  const at = (seconds: number) => new Date(Date.now() - 3_600_000 + seconds * 1000);
  await db.comment.update({ where: { id: hidden }, data: { hiddenAt: at(1), hiddenById: instructor.id } });
  await db.comment.update({ where: { id: deleted }, data: { deletedAt: at(2) } });
  await db.comment.update({ where: { id: edited }, data: { editedAt: at(3) } });
  const members = await db.membership.findMany({ where: { seminarId }, select: { userId: true } });
  await db.reaction.createMany({
    data: members.slice(0, 3).flatMap((member, i) => [
      {
        commentId: reacted as string,
        userId: member.userId,
        kind: "HELPFUL" as const,
        createdAt: at(10 + i),
      },
      {
        commentId: reacted as string,
        userId: member.userId,
        kind: "SAME_QUESTION" as const,
        createdAt: at(20 + i),
      },
    ]),
  });
  // A deleted thread is read by neither.
  const gone = await db.annotation.findFirstOrThrow({
    where: { seminarId, documentId },
    orderBy: { createdAt: "desc" },
  });
  await db.annotation.update({ where: { id: gone.id }, data: { deletedAt: at(30) } });
  return seeded;
}

describe("readAnnotationRows", () => {
  it("reads what the nested read reads, in its order, for every kind of thread", async () => {
    const { seminarId, documentId } = await seedEveryKindOfThread();
    const nested = await db.annotation.findMany({
      where: { seminarId, documentId, deletedAt: null },
      select: ANNOTATION_SELECT,
      orderBy: { createdAt: "asc" },
    });
    const flat = await db.$transaction((tx) => readAnnotationRows(tx, seminarId, documentId));
    expect(flat).toHaveLength(39);
    expect(flat.some((row) => row.comments.some((comment) => comment.reactions.length === 6))).toBe(true);
    expect(flat.some((row) => row.resolvedBy !== null)).toBe(true);
    expect(flat.some((row) => row.comments.some((comment) => comment.parentId !== null))).toBe(true);
    // Same values, same types (Dates, bytes, enums as strings), same order.
    expect(flat).toStrictEqual(nested);
  });
});

describe("loadDiscussionThreads", () => {
  it("reads the threads the full room holds, comment by comment", async () => {
    const { seminarId, documentId } = await seedEveryKindOfThread();
    const byId = (a: Thread, b: Thread) => a.id.localeCompare(b.id);

    const read = await loadDiscussionThreads(seminarId, documentId);
    const room = await loadDiscussionDoc(seminarId, documentId);
    try {
      expect(read.categories).toStrictEqual(readCategories(room));
      const fromRoom = readSeminarThreads(room).sort(byId);
      expect(read.threads).toHaveLength(39);
      expect([...read.threads].sort(byId)).toStrictEqual(fromRoom);
    } finally {
      room.destroy();
    }
    // What the seeded rows hold is there: a hidden and a deleted comment without words, reactions by name.
    const comments = read.threads.flatMap((thread) => thread.comments);
    expect(comments.some((comment) => comment.isHidden && comment.body === null)).toBe(true);
    expect(comments.some((comment) => comment.isDeleted && comment.body === null)).toBe(true);
    const reacted = comments.find((comment) => (comment.reactions?.helpful.length ?? 0) === 3);
    expect(Object.keys(reacted?.reactorNames ?? {})).toHaveLength(3);
  });
});
