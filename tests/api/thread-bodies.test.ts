/**
 * Lean threads (docs/adr/0027): the seminar room carries each thread's first comment and
 * a summary of the rest (count, tags, version, last author); the full body comes from
 * `getThread` (GET /api/annotations/:id/thread) with the rooms' access rules: members
 * only, hidden words for nobody, and under post-first no classmate's thread or reply.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createComment } from "../../lib/server/annotations/create-comment";
import { deleteAnnotation } from "../../lib/server/annotations/delete-annotation";
import { getThread } from "../../lib/server/annotations/get-thread";
import { setReaction } from "../../lib/server/annotations/react-to-comment";
import { updateComment } from "../../lib/server/annotations/update-comment";
import { db } from "../../lib/server/db";
import { loadRoomDoc } from "../../lib/server/realtime/load-room-doc";
import { ensureViewRoom } from "../../lib/server/realtime/view-rooms";
import { updateReading } from "../../lib/server/seminars/update-reading";
import { readThreadBody } from "../../lib/shared/annotations/threads";
import type { ProjectedAnnotation } from "../../lib/shared/annotations/types";
import type { CommentBody } from "../../lib/shared/comments/comment-body";
import { readCommentBody } from "../../lib/shared/comments/read-comment-body";
import { ROOT_TYPES, roomName } from "../../lib/shared/rooms";
import { newTestId, reply, startThread } from "../helpers/discussion";
import { buildSeminar, buildUser } from "../helpers/factories";
import { decodedEntries } from "../helpers/room-entries";

type User = Awaited<ReturnType<typeof buildUser>>;
type Seminar = Awaited<ReturnType<typeof buildSeminar>>;

const PHRASE = "raging dogs that must be brought down";

/** The seminar room (or a view room) as a reader would receive it. */
async function readRoom(room: string) {
  const doc = await loadRoomDoc(room);
  try {
    return {
      annotations: decodedEntries<ProjectedAnnotation>(doc.getMap(ROOT_TYPES.annotations)),
      comments: decodedEntries<{ annotationId: string }>(doc.getMap(ROOT_TYPES.comments)),
      bytes: JSON.stringify(doc.toJSON()),
    };
  } finally {
    doc.destroy();
  }
}

const seminarRoom = (seminar: Seminar) =>
  roomName({ kind: "seminar", seminarId: seminar.id, documentId: seminar.documentId as string });

/** A body with a #tag in it. */
function tagged(text: string, tag: string): CommentBody {
  return {
    type: "doc",
    content: [
      {
        type: "paragraph",
        content: [
          { type: "text", text },
          { type: "tag", attrs: { name: tag } },
        ],
      },
    ],
  };
}

describe("lean threads in the seminar room", () => {
  let seminar: Seminar;
  let ada: User;
  let ben: User;
  let outsider: User;
  let thread: string;
  const words = { first: `opening-${randomUUID()}`, second: `second-${randomUUID()}` };

  beforeAll(async () => {
    ada = await buildUser({ name: "Ada Author" });
    ben = await buildUser({ name: "Ben Reader" });
    outsider = await buildUser({ name: "Out Sider" });
    seminar = await buildSeminar({ students: [ada, ben] });
    thread = await startThread(ada, seminar, { kind: "COMMENT", phrase: PHRASE, text: words.first });
    await reply(ben, thread, words.second);
    await createComment({ userId: seminar.instructor.id }, thread, {
      id: newTestId(),
      body: tagged("And the law of asylum ", "asylum"),
    });
  });

  it("carries the first comment and a summary of the others, whose words stay out", async () => {
    const room = await readRoom(seminarRoom(seminar));
    const inRoom = Object.values(room.comments).filter((comment) => comment.annotationId === thread);
    expect(inRoom).toHaveLength(1);
    expect(room.bytes).toContain(words.first);
    expect(room.bytes).not.toContain(words.second);
    expect(room.annotations[thread]?.thread).toMatchObject({
      commentCount: 3,
      tags: ["asylum"],
      lastAuthorId: seminar.instructor.id,
      lastAuthorName: seminar.instructor.name,
    });
  });

  it("loads the full body on demand, matching the rows and the room's version", async () => {
    const body = await getThread({ userId: ben.id }, thread);
    const rows = await db.comment.findMany({
      where: { annotationId: thread },
      orderBy: { createdAt: "asc" },
    });
    expect(body.comments.map((comment) => comment.id)).toEqual(rows.map((row) => row.id));
    expect(body.comments.map((comment) => comment.body)).toEqual(
      rows.map((row) => readCommentBody(row.body)),
    );
    const room = await readRoom(seminarRoom(seminar));
    expect(body.version).toBe(room.annotations[thread]?.thread?.version);
    // What the browser makes of it: every comment, in order.
    expect(readThreadBody(body)?.comments.map((comment) => comment.id)).toEqual(rows.map((row) => row.id));
  });

  it("moves the version when a reply, an edit, a reaction or moderation changes the thread", async () => {
    const versions = new Set<string>();
    const roomVersion = async () =>
      (await readRoom(seminarRoom(seminar))).annotations[thread]?.thread?.version;
    versions.add((await roomVersion()) as string);
    const late = await reply(ada, thread, "A late reply");
    versions.add((await roomVersion()) as string);
    await updateComment({ userId: ada.id }, late, { body: tagged("A late reply, edited ", "exile") });
    versions.add((await roomVersion()) as string);
    await setReaction({ userId: ben.id }, late, "helpful", true);
    versions.add((await roomVersion()) as string);
    await updateComment({ userId: seminar.instructor.id }, late, { hidden: true });
    versions.add((await roomVersion()) as string);
    expect(versions.size).toBe(5);
    // Each time the route answers with the room's version: an open card loads once per change.
    expect((await getThread({ userId: ada.id }, thread)).version).toBe(await roomVersion());
  });

  it("keeps hidden words out of the body for everyone, instructors included", async () => {
    const secret = `unkind-${randomUUID()}`;
    const hidden = await reply(ben, thread, secret);
    await updateComment({ userId: seminar.instructor.id }, hidden, { hidden: true });
    for (const reader of [ada, ben, seminar.instructor]) {
      const body = await getThread({ userId: reader.id }, thread);
      expect(body.comments.find((comment) => comment.id === hidden)).toMatchObject({ body: null });
      expect(JSON.stringify(body)).not.toContain(secret);
    }
  });

  it("answers not_found to outsiders and for deleted threads, and asks strangers to sign in", async () => {
    await expect(getThread({ userId: outsider.id }, thread)).rejects.toMatchObject({ code: "not_found" });
    await expect(getThread(null, thread)).rejects.toMatchObject({ code: "unauthenticated" });
    await expect(getThread({ userId: ada.id }, "no-such-thread")).rejects.toMatchObject({
      code: "not_found",
    });
    const gone = await startThread(ada, seminar, { kind: "COMMENT", phrase: PHRASE, text: "Soon gone" });
    await deleteAnnotation({ userId: ada.id }, gone);
    await expect(getThread({ userId: ada.id }, gone)).rejects.toMatchObject({ code: "not_found" });
    expect((await readRoom(seminarRoom(seminar))).annotations[gone]).toBeUndefined();
  });
});

describe("lean threads under post first, then see", () => {
  it("gives a locked student no classmate's thread or reply, neither in their room nor through the route", async () => {
    const student = await buildUser({ name: "Sam Student" });
    const classmate = await buildUser({ name: "Cal Classmate" });
    const seminar = await buildSeminar({ students: [student, classmate] });
    const documentId = seminar.documentId as string;
    const reading = await db.reading.findFirstOrThrow({ where: { seminarId: seminar.id, documentId } });
    await updateReading({ userId: seminar.instructor.id }, seminar.id, reading.id, { postFirstCount: 3 });
    const secret = `classmate-${randomUUID()}`;
    const classmateThread = await startThread(classmate, seminar, {
      kind: "COMMENT",
      phrase: PHRASE,
      text: `${secret} thread`,
    });
    const question = await startThread(seminar.instructor, seminar, {
      kind: "GUIDING_QUESTION",
      phrase: PHRASE,
      text: "What does the essay ask of us?",
    });
    const classmateReply = await reply(classmate, question, `${secret} reply`);
    const ownReply = await reply(student, question, "My own answer");
    const instructorReply = await reply(seminar.instructor, question, "A follow-up");

    await expect(getThread({ userId: student.id }, classmateThread)).rejects.toMatchObject({
      code: "not_found",
    });
    const body = await getThread({ userId: student.id }, question);
    expect(body.comments.map((comment) => comment.id)).not.toContain(classmateReply);
    expect(body.comments.map((comment) => comment.id)).toEqual(
      expect.arrayContaining([ownReply, instructorReply]),
    );
    expect(JSON.stringify(body)).not.toContain(secret);

    await ensureViewRoom(seminar.id, documentId, student.id);
    const view = await readRoom(
      roomName({ kind: "view", seminarId: seminar.id, documentId, userId: student.id }),
    );
    expect(view.bytes).not.toContain(secret);
    expect(view.annotations[classmateThread]).toBeUndefined();
    // The view room's summary counts what the student may see, at the route's version.
    expect(view.annotations[question]?.thread).toMatchObject({ commentCount: 3, version: body.version });

    // The instructor still gets the whole thread.
    const whole = await getThread({ userId: seminar.instructor.id }, question);
    expect(whole.comments.map((comment) => comment.id)).toContain(classmateReply);
  });
});
