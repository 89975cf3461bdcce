/**
 * Notifications are made in the transaction of their event, for the people it
 * concerns and nobody else: against a real Postgres, through the same
 * lib/server functions the API calls.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnnotation } from "../../lib/server/annotations/create-annotation";
import { createComment } from "../../lib/server/annotations/create-comment";
import { updateComment } from "../../lib/server/annotations/update-comment";
import { db } from "../../lib/server/db";
import { findNotifications } from "../../lib/server/notifications/find-notifications";
import { markNotificationsRead } from "../../lib/server/notifications/mark-notifications-read";
import { sendDueReminders } from "../../lib/server/notifications/send-due-reminders";
import { updateNotificationPreferences } from "../../lib/server/notifications/update-notification-preferences";
import { closeUnreadChanges, subscribeUnreadChanges } from "../../lib/server/notifications/unread-events";
import { assignReading } from "../../lib/server/seminars/assign-reading";
import { updateReading } from "../../lib/server/seminars/update-reading";
import type { StoredAnchor } from "../../lib/shared/anchors/anchor";
import { textToCommentBody, type CommentBody } from "../../lib/shared/comments/comment-body";
import { AppError } from "../../lib/shared/errors";
import { threadPath } from "../../lib/shared/urls";
import { anchorOn } from "../helpers/anchors";
import { buildSeminar, buildUser } from "../helpers/factories";

let seminar: Awaited<ReturnType<typeof buildSeminar>>;
let ada: Awaited<ReturnType<typeof buildUser>>;
let ben: Awaited<ReturnType<typeof buildUser>>;
let cyd: Awaited<ReturnType<typeof buildUser>>;
let outsider: Awaited<ReturnType<typeof buildUser>>;
let anchor: StoredAnchor;

beforeAll(async () => {
  ada = await buildUser({ name: "Ada Author" });
  ben = await buildUser({ name: "Ben Replier" });
  cyd = await buildUser({ name: "Cyd Bystander" });
  outsider = await buildUser({ name: "Out Sider" });
  seminar = await buildSeminar({ students: [ada, ben, cyd] });
  anchor = await anchorOn(seminar.documentId as string, "the savage, the exotic Mexico");
});
afterAll(async () => {
  await closeUnreadChanges();
});

let counter = 0;
const id = () => `n${Date.now().toString(36)}${(counter++).toString(36).padStart(10, "0")}`;

function mentioning(user: { id: string; name: string }, text: string): CommentBody {
  return {
    type: "doc",
    content: [
      {
        type: "paragraph",
        content: [
          { type: "mention", attrs: { id: user.id, label: user.name } },
          { type: "text", text: ` ${text}` },
        ],
      },
    ],
  };
}

function mentioningAll(users: { id: string; name: string }[], text: string): CommentBody {
  return {
    type: "doc",
    content: [
      {
        type: "paragraph",
        content: [
          ...users.flatMap((user) => [
            { type: "mention" as const, attrs: { id: user.id, label: user.name } },
            { type: "text" as const, text: " " },
          ]),
          { type: "text", text },
        ],
      },
    ],
  };
}

async function thread(author: { id: string }, body: CommentBody = textToCommentBody("A first thought.")) {
  const annotationId = id();
  await createAnnotation({ userId: author.id }, seminar.id, seminar.documentId as string, {
    id: annotationId,
    kind: "COMMENT",
    anchor,
    body,
  });
  return annotationId;
}

async function kindsFor(user: { id: string }, annotationId: string) {
  const rows = await db.notification.findMany({ where: { userId: user.id, annotationId } });
  return rows.map((row) => row.kind).sort();
}

describe("notifications of comments", () => {
  it("tells the thread's starter and earlier writers of a reply, never its own writer or a bystander", async () => {
    const annotationId = await thread(ada);
    await createComment({ userId: ben.id }, annotationId, {
      id: id(),
      body: textToCommentBody("I disagree."),
    });
    expect(await kindsFor(ada, annotationId)).toEqual(["REPLY"]);
    expect(await kindsFor(ben, annotationId)).toEqual([]);
    expect(await kindsFor(cyd, annotationId)).toEqual([]);

    await createComment({ userId: ada.id }, annotationId, { id: id(), body: textToCommentBody("Why?") });
    expect(await kindsFor(ben, annotationId)).toEqual(["REPLY"]);
    expect(await kindsFor(ada, annotationId)).toEqual(["REPLY"]);
  });

  it("an instructor's reply is an instructor reply to the person answered", async () => {
    const annotationId = await thread(ada);
    const commentId = id();
    await createComment({ userId: seminar.instructor.id }, annotationId, {
      id: commentId,
      body: textToCommentBody("Look again at the second paragraph."),
    });
    expect(await kindsFor(ada, annotationId)).toEqual(["INSTRUCTOR_REPLY"]);
    const { notifications } = await findNotifications({ userId: ada.id });
    const entry = notifications.find((n) => n.kind === "INSTRUCTOR_REPLY");
    expect(entry).toMatchObject({
      title: expect.stringContaining("Instructor (instructor) replied to you") as unknown,
      excerpt: "Look again at the second paragraph.",
      path: threadPath(seminar.id, seminar.documentId as string, annotationId),
      isRead: false,
    });
  });

  it("a mention tells the person mentioned once, as a mention, even in a thread they joined", async () => {
    const annotationId = await thread(cyd);
    await createComment({ userId: ben.id }, annotationId, {
      id: id(),
      body: mentioning(cyd, "what do you think?"),
    });
    expect(await kindsFor(cyd, annotationId)).toEqual(["MENTION"]);
    const mentionInFirstComment = await thread(ben, mentioning(ada, "see this"));
    expect(await kindsFor(ada, mentionInFirstComment)).toEqual(["MENTION"]);
  });

  it("a mention added by editing a comment tells only the newly mentioned, once", async () => {
    const annotationId = await thread(ada);
    const commentId = id();
    await createComment({ userId: ben.id }, annotationId, { id: commentId, body: mentioning(cyd, "first") });
    expect(await kindsFor(cyd, annotationId)).toEqual(["MENTION"]);
    expect(await kindsFor(ada, annotationId)).toEqual(["REPLY"]);

    // Ada is newly mentioned; Cyd, mentioned before, is not told again.
    await updateComment({ userId: ben.id }, commentId, { body: mentioningAll([cyd, ada], "both of you") });
    expect(await kindsFor(ada, annotationId)).toEqual(["MENTION", "REPLY"]);
    expect(await kindsFor(cyd, annotationId)).toEqual(["MENTION"]);
    const told = await db.notification.findFirstOrThrow({
      where: { userId: ada.id, annotationId, kind: "MENTION" },
    });
    expect(told).toMatchObject({ actorId: ben.id, commentId, seminarId: seminar.id });

    // Taken out and put back: nobody is told twice; an edit without new names tells nobody.
    await updateComment({ userId: ben.id }, commentId, { body: textToCommentBody("Nobody now.") });
    await updateComment({ userId: ben.id }, commentId, { body: mentioningAll([ada, cyd], "again") });
    await updateComment({ userId: ben.id }, commentId, { body: mentioningAll([ada, cyd], "again, edited") });
    expect(await kindsFor(ada, annotationId)).toEqual(["MENTION", "REPLY"]);
    expect(await kindsFor(cyd, annotationId)).toEqual(["MENTION"]);
    expect(await kindsFor(ben, annotationId)).toEqual([]);
  });

  it("an edit mentioning the author, someone outside the seminar, or inside a hidden comment tells nobody", async () => {
    const annotationId = await thread(ada);
    const commentId = id();
    await createComment({ userId: ben.id }, annotationId, { id: commentId, body: textToCommentBody("Hm.") });
    await updateComment({ userId: ben.id }, commentId, { body: mentioning(ben, "note to self") });
    expect(await kindsFor(ben, annotationId)).toEqual([]);

    const refused = updateComment({ userId: ben.id }, commentId, { body: mentioning(outsider, "hello") });
    await expect(refused).rejects.toMatchObject({
      code: "invalid_input",
      message: "You can only mention members of this seminar.",
    });
    expect(await db.notification.count({ where: { userId: outsider.id } })).toBe(0);
    const stored = await db.comment.findUniqueOrThrow({ where: { id: commentId } });
    expect(stored.bodyText).toBe("@Ben Replier note to self");

    await updateComment({ userId: seminar.instructor.id }, commentId, { hidden: true });
    await updateComment({ userId: ben.id }, commentId, { body: mentioning(cyd, "while hidden") });
    expect(await kindsFor(cyd, annotationId)).toEqual([]);
  });

  it("refuses to mention someone outside the seminar (400), and saves nothing", async () => {
    const annotationId = await thread(ada);
    const commentId = id();
    const attempt = createComment({ userId: ben.id }, annotationId, {
      id: commentId,
      body: mentioning(outsider, "hello"),
    });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({
      code: "invalid_input",
      message: "You can only mention members of this seminar.",
    });
    expect(await db.comment.findUnique({ where: { id: commentId } })).toBeNull();
    expect(await db.notification.count({ where: { userId: outsider.id } })).toBe(0);
  });

  it("a kind turned off makes no notification; others still come", async () => {
    await updateNotificationPreferences({ userId: cyd.id }, { channels: { REPLY: "OFF" } });
    const annotationId = await thread(cyd);
    await createComment({ userId: ben.id }, annotationId, {
      id: id(),
      body: textToCommentBody("Plain reply."),
    });
    expect(await kindsFor(cyd, annotationId)).toEqual([]);
    await createComment({ userId: ben.id }, annotationId, { id: id(), body: mentioning(cyd, "you there?") });
    expect(await kindsFor(cyd, annotationId)).toEqual(["MENTION"]);
    await updateNotificationPreferences({ userId: cyd.id }, { channels: { REPLY: "IN_APP" } });
  });

  it("refuses a preference that is not a channel", async () => {
    await expect(
      updateNotificationPreferences({ userId: cyd.id }, { channels: { REPLY: "CARRIER_PIGEON" } }),
    ).rejects.toMatchObject({ code: "invalid_input" });
  });
});

describe("notifications and post first, then see", () => {
  it("tells a student who must still post of nothing they may not see, and of the rest as usual", async () => {
    const sol = await buildUser({ name: "Sol Locked" });
    const ona = await buildUser({ name: "Ona Classmate" });
    const gated = await buildSeminar({ students: [sol, ona] });
    const documentId = gated.documentId as string;
    const reading = await db.reading.findFirstOrThrow({ where: { seminarId: gated.id } });
    await updateReading({ userId: gated.instructor.id }, gated.id, reading.id, { postFirstCount: 2 });
    const start = async (author: { id: string }, body: CommentBody) => {
      const annotationId = id();
      await createAnnotation({ userId: author.id }, gated.id, documentId, {
        id: annotationId,
        kind: "COMMENT",
        anchor: await anchorOn(documentId, "the savage, the exotic Mexico"),
        body,
      });
      return annotationId;
    };
    // Sol has posted one of two: a classmate's words stay away from him, in the inbox and by email.
    const solThread = await start(sol, textToCommentBody("My first."));
    await createComment({ userId: ona.id }, solThread, {
      id: id(),
      body: mentioning(sol, "CLASSMATE-REPLY-3b1f"),
    });
    const onaThread = await start(ona, mentioning(sol, "CLASSMATE-THREAD-8c2d"));
    expect(await kindsFor(sol, solThread)).toEqual([]);
    expect(await kindsFor(sol, onaThread)).toEqual([]);
    // The instructor's reply in his own thread reaches him.
    await createComment({ userId: gated.instructor.id }, solThread, {
      id: id(),
      body: textToCommentBody("Keep going."),
    });
    expect(await kindsFor(sol, solThread)).toEqual(["INSTRUCTOR_REPLY"]);
    const inbox = await findNotifications({ userId: sol.id }, {});
    expect(JSON.stringify(inbox)).not.toMatch(/CLASSMATE-(REPLY|THREAD)/);

    // Once he has posted enough, classmates' replies and mentions reach him again.
    await start(sol, textToCommentBody("My second."));
    await createComment({ userId: ona.id }, solThread, { id: id(), body: mentioning(sol, "now you see") });
    expect(await kindsFor(sol, solThread)).toEqual(["INSTRUCTOR_REPLY", "MENTION"]);
    // Ona, who is not gated by Sol's count, heard of the instructor's reply in a thread she wrote in.
    expect(await kindsFor(ona, solThread)).toEqual(["REPLY"]);
  });
});

describe("notifications of the seminar's work", () => {
  it("a guiding question tells every member but the instructor who asked", async () => {
    const annotationId = id();
    await createAnnotation({ userId: seminar.instructor.id }, seminar.id, seminar.documentId as string, {
      id: annotationId,
      kind: "GUIDING_QUESTION",
      anchor,
      body: textToCommentBody("What does the author want from Mexico?"),
    });
    const rows = await db.notification.findMany({ where: { annotationId } });
    expect(rows.map((row) => row.userId).sort()).toEqual([ada.id, ben.id, cyd.id].sort());
    expect(new Set(rows.map((row) => row.kind))).toEqual(new Set(["GUIDING_QUESTION"]));
  });

  it("an assigned reading tells the students; its due date is announced once, however many sweeps race", async () => {
    const other = await db.document.create({
      data: {
        slug: `short-${id()}`,
        title: "A Short Text",
        byline: "",
        source: "",
        content: {
          type: "doc",
          content: [{ type: "paragraph", content: [{ type: "text", text: "Short." }] }],
        },
        plainText: "Short.",
        offsetMap: [],
        version: "1",
        isPublic: true,
      },
    });
    const dueAt = new Date(Date.now() + 6 * 60 * 60 * 1000);
    await assignReading({ userId: seminar.instructor.id }, seminar.id, {
      documentId: other.id,
      dueAt: dueAt.toISOString(),
      instruction: "Read it twice.",
    });
    const assigned = await db.notification.findMany({
      where: { documentId: other.id, kind: "READING_ASSIGNED" },
    });
    expect(assigned.map((row) => row.userId).sort()).toEqual([ada.id, ben.id, cyd.id].sort());
    const { notifications } = await findNotifications({ userId: ada.id });
    expect(notifications.find((n) => n.kind === "READING_ASSIGNED")?.excerpt).toBe("Read it twice.");

    const sweeps = await Promise.all([sendDueReminders(), sendDueReminders(), sendDueReminders()]);
    expect(sweeps.flat()).toHaveLength(1);
    expect(await sendDueReminders()).toEqual([]);
    const due = await db.notification.findMany({ where: { documentId: other.id, kind: "READING_DUE" } });
    expect(due.map((row) => row.userId).sort()).toEqual([ada.id, ben.id, cyd.id].sort());
  });
});

describe("the inbox", () => {
  it("marks one read, then all, and announces each change to the person's live count", async () => {
    const heard: string[] = [];
    const stop = await subscribeUnreadChanges((userId) => heard.push(userId));
    try {
      const before = await findNotifications({ userId: ben.id });
      expect(before.unreadCount).toBeGreaterThan(0);
      const first = before.notifications.find((n) => !n.isRead);
      const one = await markNotificationsRead({ userId: ben.id }, { ids: [first?.id] });
      expect(one.unreadCount).toBe(before.unreadCount - 1);
      const all = await markNotificationsRead({ userId: ben.id }, { all: true });
      expect(all.unreadCount).toBe(0);
      await expect.poll(() => heard.filter((userId) => userId === ben.id).length).toBeGreaterThanOrEqual(2);
    } finally {
      stop();
    }
  });

  it("no longer shows a seminar's notifications to someone who left it", async () => {
    const before = await findNotifications({ userId: cyd.id });
    expect(before.notifications.length).toBeGreaterThan(0);
    await db.membership.delete({ where: { userId_seminarId: { userId: cyd.id, seminarId: seminar.id } } });
    const after = await findNotifications({ userId: cyd.id });
    expect(after).toEqual({ notifications: [], unreadCount: 0 });
  });
});
