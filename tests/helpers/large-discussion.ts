/**
 * A large discussion on the essay, seeded in bulk for benches and scale
 * tests: rows inserted with createMany, the seminar room written from the
 * same rows (lean, as the projection writes it) in chunks of ROOM_CHUNK threads, so 10,000 threads take seconds, not
 * the hours the HTTP API would need one by one.
 */
import { yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import { anchorToRow } from "../../lib/server/annotations/anchor-bytes";
import { db } from "../../lib/server/db";
import type { Prisma } from "../../lib/server/generated/prisma/client";
import { loadRoomDoc } from "../../lib/server/realtime/load-room-doc";
import { projectCategories, type ThreadShape } from "../../lib/server/realtime/projection";
import { writeServerRoom } from "../../lib/server/realtime/write-server-room";
import type { ProjectedAnnotation, ProjectedComment } from "../../lib/shared/annotations/types";
import { toRoomEntries } from "../../lib/shared/annotations/thread-summary";
import { encodeRoomEntry } from "../../lib/shared/annotations/room-entries";
import { NO_REACTIONS } from "../../lib/shared/reactions/reactions";
import { seedTextRoom } from "../../lib/server/realtime/seed-text-room";
import { createAnchor, type StoredAnchor } from "../../lib/shared/anchors/anchor";
import { buildTextIndex, textOffsetToPos } from "../../lib/shared/anchors/text-index";
import { createPositionMapper } from "../../lib/shared/anchors/y-positions";
import { commentBodyToText, textToCommentBody } from "../../lib/shared/comments/comment-body";
import { ROOT_TYPES, roomName } from "../../lib/shared/rooms";
import { getReadingSchema } from "../../lib/shared/schema/reading-schema";
import { buildSeminar, buildUser } from "./factories";

const WORDS = "close reading asks what a sentence does as well as what it says".split(" ");

/**
 * A seminar on the essay with `count` threads spread over the whole text
 * (many overlapping), written as the API writes them — rows, then the
 * seminar room's projection — but in bulk, so seeding takes seconds.
 * Every fourth thread is a highlight, every fourth from the fourth a guiding
 * question, the rest comments (every tenth of them resolved); 0–3 replies each.
 * `roomShape: "full"` writes the room as it was before threads were lean (every
 * comment in the room), and `entryForm: "objects"` its entries as objects rather than
 * text, as before docs/adr/0032: the bench's befores and afters.
 */
export async function seedReading(
  count: number,
  options: { roomShape?: ThreadShape; entryForm?: "text" | "objects" } = {},
) {
  const roomShape = options.roomShape ?? "lean";
  const entryForm = options.entryForm ?? "text";
  const instructor = await buildUser({ name: "Irene Instructor" });
  const students = await Promise.all(
    ["Sofía Estudiante", "Omar Other", "Ana Lectora", "Bo Reader", "Chen Student"].map((name) =>
      buildUser({ name }),
    ),
  );
  const seminar = await buildSeminar({ instructor, students });
  const seminarId = seminar.id;
  const documentId = seminar.documentId as string;
  const categories = await db.category.findMany({ where: { seminarId }, orderBy: { position: "asc" } });
  const people = [instructor, ...students];

  const anchors = await anchorsAcrossText(documentId, count);
  const start = Date.now() - count * 60_000;
  const at = (minutes: number) => new Date(start + minutes * 60_000);
  const annotations: Prisma.AnnotationCreateManyInput[] = [];
  const comments: Prisma.CommentCreateManyInput[] = [];
  const body = (text: string) => {
    const value = textToCommentBody(text);
    return { body: value as unknown as Prisma.InputJsonValue, bodyText: commentBodyToText(value) };
  };
  anchors.forEach((anchor, i) => {
    const kind = i % 4 === 0 ? "HIGHLIGHT" : i % 4 === 3 ? "GUIDING_QUESTION" : "COMMENT";
    const author = kind === "GUIDING_QUESTION" ? instructor : (students[i % students.length] ?? instructor);
    const id = benchId("a", i);
    annotations.push({
      id,
      seminarId,
      documentId,
      authorId: author.id,
      kind,
      categoryId: kind === "HIGHLIGHT" ? (categories[i % categories.length]?.id ?? null) : null,
      pinned: kind === "GUIDING_QUESTION" && i % 8 === 3,
      resolvedAt: kind === "COMMENT" && i % 10 === 1 ? at(i + 30) : null,
      resolvedById: kind === "COMMENT" && i % 10 === 1 ? instructor.id : null,
      createdAt: at(i),
      updatedAt: at(i),
      ...anchorToRow(anchor),
    });
    if (kind !== "HIGHLIGHT")
      comments.push({
        id: benchId("c", i * 10),
        annotationId: id,
        authorId: author.id,
        createdAt: at(i),
        ...body(sentence(i, kind === "GUIDING_QUESTION" ? "?" : ".")),
      });
    // 0–3 replies; the second answers the first when there are three.
    for (let r = 1; r <= i % 4; r++) {
      comments.push({
        id: benchId("c", i * 10 + r),
        annotationId: id,
        authorId: (people[(i + r) % people.length] ?? instructor).id,
        parentId: r === 2 && i % 4 === 3 ? benchId("c", i * 10 + 1) : null,
        createdAt: at(i + r),
        ...body(`${sentence(i + r, ".")}\n${sentence(i * r, "!")}`),
      });
    }
  });
  await db.annotation.createMany({ data: annotations });
  await db.comment.createMany({ data: comments });
  // The room as the projection writes it (lib/server/realtime/projection.ts), built straight
  // from the rows above: projecting 10,000 threads one query each outlasts a transaction.
  const names = new Map(people.map((person) => [person.id, person.name]));
  const roleOf = (id: string) => (id === instructor.id ? "INSTRUCTOR" : "STUDENT");
  const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : null);
  const room = roomName({ kind: "seminar", seminarId, documentId });
  await writeServerRoom(room, (tx, doc) => projectCategories(tx, doc, seminarId));
  const commentsOf = new Map<string, typeof comments>();
  for (const row of comments) {
    const list = commentsOf.get(row.annotationId) ?? [];
    list.push(row);
    commentsOf.set(row.annotationId, list);
  }
  // In chunks, each its own room write: one write of 10,000 threads outlasts the room
  // transaction's limit on a loaded machine.
  for (let start = 0; start < annotations.length; start += ROOM_CHUNK) {
    const chunk = annotations.slice(start, start + ROOM_CHUNK);
    await writeServerRoom(room, (_tx, doc) => {
      const annotationMap = doc.getMap<unknown>(ROOT_TYPES.annotations);
      const commentMap = doc.getMap<unknown>(ROOT_TYPES.comments);
      doc.transact(() => {
        chunk.forEach((row, k) => {
          const value: ProjectedAnnotation = {
            id: row.id as string,
            kind: row.kind,
            authorId: row.authorId,
            authorName: names.get(row.authorId) as string,
            authorRole: roleOf(row.authorId),
            categoryId: row.categoryId ?? null,
            anchor: anchors[start + k] as StoredAnchor,
            pinned: row.pinned ?? false,
            resolvedAt: iso(row.resolvedAt),
            resolvedByName: row.resolvedById ? (names.get(row.resolvedById) ?? null) : null,
            createdAt: iso(row.createdAt) as string,
            updatedAt: iso(row.updatedAt) as string,
          };
          const projected: ProjectedComment[] = (commentsOf.get(value.id) ?? []).map((comment) => ({
            id: comment.id as string,
            annotationId: comment.annotationId,
            parentId: comment.parentId ?? null,
            authorId: comment.authorId,
            authorName: names.get(comment.authorId) as string,
            authorRole: roleOf(comment.authorId),
            body: comment.body,
            createdAt: iso(comment.createdAt) as string,
            editedAt: null,
            deletedAt: null,
            hiddenAt: null,
            reactions: NO_REACTIONS,
            reactorNames: {},
          }));
          // Lean, as the projection writes threads (docs/adr/0027); full as rooms were before it.
          const entries =
            roomShape === "lean"
              ? toRoomEntries(value, projected)
              : { annotation: value, comments: projected };
          // Entries as their JSON text, as the projection writes them (docs/adr/0032), or as
          // objects key by key, as rooms held them before.
          const write = (entry: ProjectedAnnotation | ProjectedComment) =>
            entryForm === "text" ? encodeRoomEntry(entry) : entry;
          annotationMap.set(value.id, write(entries.annotation));
          for (const comment of entries.comments) commentMap.set(comment.id, write(comment));
        });
      });
      return Promise.resolve();
    });
  }
  return { actor: { userId: instructor.id }, instructor, seminarId, documentId };
}

/** Threads per room write: each write is one transaction with a time limit. */
const ROOM_CHUNK = 1000;

/** `count` anchors of 2–8 words, their starts spread evenly over the text. */
export async function anchorsAcrossText(documentId: string, count: number): Promise<StoredAnchor[]> {
  await seedTextRoom(documentId);
  const doc = await loadRoomDoc(roomName({ kind: "text", documentId }));
  try {
    const fragment = doc.getXmlFragment(ROOT_TYPES.text);
    const pmDoc = yXmlFragmentToProseMirrorRootNode(fragment, getReadingSchema());
    const index = buildTextIndex(pmDoc);
    const mapper = createPositionMapper(doc, fragment, getReadingSchema());
    const words = [...index.text.matchAll(/\S+/g)].map((match) => ({
      start: match.index,
      end: match.index + match[0].length,
    }));
    const anchors: StoredAnchor[] = [];
    for (let i = 0; i < count; i++) {
      const first = Math.floor((i * words.length) / count);
      const last = Math.min(words.length - 1, first + 1 + (i % 7));
      const from = textOffsetToPos(index.runs, (words[first] as { start: number }).start) as number;
      const to = textOffsetToPos(index.runs, (words[last] as { end: number }).end) as number;
      anchors.push(createAnchor({ doc, fragment, pmDoc, from, to, index, mapper }));
    }
    return anchors;
  } finally {
    doc.destroy();
  }
}

/** The id {@link seedReading} gives its `i`-th thread. */
export function seededThreadId(i: number): string {
  return benchId("a", i);
}

function benchId(prefix: string, n: number): string {
  return `bench${prefix}${n.toString(36).padStart(12, "0")}`;
}

function sentence(seed: number, end: string): string {
  const length = 6 + (seed % 12);
  const words = Array.from({ length }, (_, k) => WORDS[(seed * 7 + k * 3) % WORDS.length] as string);
  const text = words.join(" ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${end}`;
}
