/**
 * Instructors read what they hid: the words of a hidden comment come to the seminar's
 * instructors over the API, never to students, and the seminar room still carries none.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { getHiddenComment } from "../../lib/server/annotations/get-hidden-comment";
import { getThread } from "../../lib/server/annotations/get-thread";
import { updateComment } from "../../lib/server/annotations/update-comment";
import { loadRoomDoc } from "../../lib/server/realtime/load-room-doc";
import { ROOT_TYPES, roomName } from "../../lib/shared/rooms";
import { reply, startThread } from "../helpers/discussion";
import { buildSeminar, buildUser } from "../helpers/factories";

type User = Awaited<ReturnType<typeof buildUser>>;
let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let author: User;
let classmate: User;
let outsider: User;
let hidden: string;
let visible: string;
let thread: string;

beforeAll(async () => {
  author = await buildUser({ name: "Ada Author" });
  classmate = await buildUser({ name: "Cal Classmate" });
  outsider = await buildUser({ name: "Out Sider" });
  seminar = await buildSeminar({ students: [author, classmate] });
  thread = await startThread(classmate, seminar, {
    kind: "COMMENT",
    phrase: "raging dogs that must be brought down",
    text: "A fair question",
  });
  hidden = await reply(author, thread, "Something unkind about a classmate");
  visible = await reply(author, thread, "Something kind");
  await updateComment({ userId: seminar.instructor.id }, hidden, { hidden: true });
});

describe("instructors read what they hid", () => {
  it("gives the seminar's instructors the words of a hidden comment", async () => {
    const words = await getHiddenComment({ userId: seminar.instructor.id }, hidden);
    expect(JSON.stringify(words.body)).toContain("Something unkind about a classmate");
    expect(words.hiddenAt).toMatch(/^\d{4}-/);
  });

  it("refuses students, even its author, and hides it from outsiders", async () => {
    for (const student of [author, classmate])
      await expect(getHiddenComment({ userId: student.id }, hidden)).rejects.toMatchObject({
        code: "forbidden",
      });
    await expect(getHiddenComment({ userId: outsider.id }, hidden)).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(getHiddenComment(null, hidden)).rejects.toMatchObject({ code: "unauthenticated" });
  });

  it("answers not_found for a comment that is not hidden", async () => {
    await expect(getHiddenComment({ userId: seminar.instructor.id }, visible)).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("keeps the words out of the seminar room and the thread body every member receives", async () => {
    const doc = await loadRoomDoc(
      roomName({ kind: "seminar", seminarId: seminar.id, documentId: seminar.documentId as string }),
    );
    try {
      expect(JSON.stringify(doc.getMap(ROOT_TYPES.comments).toJSON())).not.toContain("unkind");
    } finally {
      doc.destroy();
    }
    // Nor in the thread's body that members load on demand (docs/adr/0027): it keeps its place, not its words.
    for (const member of [author, classmate, seminar.instructor]) {
      const body = await getThread({ userId: member.id }, thread);
      expect(body.comments.find((comment) => comment.id === hidden)).toMatchObject({ body: null });
      expect(JSON.stringify(body)).not.toContain("unkind");
    }
  });
});
