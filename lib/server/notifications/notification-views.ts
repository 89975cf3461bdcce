/**
 * Notifications in words: who did what, where, and the link that opens it.
 * One reader for the inbox, the emails and the digests, so they say the same.
 * The words of a comment are read from its row at the time of reading: a
 * comment hidden or deleted since shows none.
 */
import type { NotificationKindName } from "@/lib/shared/notifications/kinds";
import { readingPath, seminarPath, threadPath } from "@/lib/shared/urls";
import type { Tx } from "../db";
import { db } from "../db";

/** The columns a view needs. */
export type NotificationRow = {
  id: string;
  userId: string;
  kind: NotificationKindName;
  actorId: string | null;
  seminarId: string;
  documentId: string | null;
  annotationId: string | null;
  commentId: string | null;
  createdAt: Date;
  readAt: Date | null;
};

/** A notification ready to show. */
export type NotificationView = {
  /** The notification's id. */
  id: string;
  /** Its kind. */
  kind: NotificationKindName;
  /** One sentence: "Ona Other replied in your thread on “Guest of the Revolution”". */
  title: string;
  /** Up to 200 characters of the comment or instruction, or "" when there is none to show. */
  excerpt: string;
  /** The seminar's title. */
  seminarTitle: string;
  /** A same-site path: the thread in the text, or the reading. */
  path: string;
  /** When it happened. */
  createdAt: Date;
  /** Whether the recipient has read it. */
  isRead: boolean;
};

const EXCERPT_LENGTH = 200;

function excerptOf(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > EXCERPT_LENGTH ? `${flat.slice(0, EXCERPT_LENGTH - 1)}…` : flat;
}

function titleOf(kind: NotificationKindName, actor: string, reading: string, seminar: string): string {
  switch (kind) {
    case "MENTION":
      return `${actor} mentioned you on “${reading}”`;
    case "REPLY":
      return `${actor} replied in a thread you joined on “${reading}”`;
    case "INSTRUCTOR_REPLY":
      return `${actor} (instructor) replied to you on “${reading}”`;
    case "GUIDING_QUESTION":
      return `${actor} asked a guiding question on “${reading}”`;
    case "READING_ASSIGNED":
      return `“${reading}” was assigned in ${seminar}`;
    case "READING_DUE":
      return `“${reading}” is due within a day in ${seminar}`;
  }
}

/** Views of `rows`, in their order. */
export async function loadNotificationViews(
  rows: readonly NotificationRow[],
  client: Tx | typeof db = db,
): Promise<NotificationView[]> {
  const ids = (pick: (row: NotificationRow) => string | null) => [
    ...new Set(rows.map(pick).filter((id): id is string => id !== null)),
  ];
  // One query at a time: `client` may be a transaction, which is one connection.
  const actors = await client.user.findMany({
    where: { id: { in: ids((row) => row.actorId) } },
    select: { id: true, name: true },
  });
  const seminars = await client.seminar.findMany({
    where: { id: { in: ids((row) => row.seminarId) } },
    select: { id: true, title: true },
  });
  const documents = await client.document.findMany({
    where: { id: { in: ids((row) => row.documentId) } },
    select: { id: true, title: true },
  });
  const comments = await client.comment.findMany({
    where: { id: { in: ids((row) => row.commentId) } },
    select: {
      id: true,
      bodyText: true,
      hiddenAt: true,
      deletedAt: true,
      annotation: { select: { deletedAt: true } },
    },
  });
  const readings = await client.reading.findMany({
    where: {
      seminarId: { in: ids((row) => row.seminarId) },
      documentId: { in: ids((row) => row.documentId) },
    },
    select: { seminarId: true, documentId: true, instruction: true },
  });
  const nameOf = new Map(actors.map((user) => [user.id, user.name]));
  const seminarOf = new Map(seminars.map((seminar) => [seminar.id, seminar.title]));
  const documentOf = new Map(documents.map((document) => [document.id, document.title]));
  const commentOf = new Map(comments.map((comment) => [comment.id, comment]));
  const instructionOf = new Map(
    readings.map((reading) => [`${reading.seminarId}/${reading.documentId}`, reading.instruction]),
  );
  return rows.map((row) => {
    const seminarTitle = seminarOf.get(row.seminarId) ?? "a seminar";
    const readingTitle = (row.documentId && documentOf.get(row.documentId)) || "a reading";
    const actor = (row.actorId && nameOf.get(row.actorId)) || "Someone";
    const comment = row.commentId ? commentOf.get(row.commentId) : undefined;
    const isVisible = comment && !comment.hiddenAt && !comment.deletedAt && !comment.annotation.deletedAt;
    const excerpt = isVisible
      ? excerptOf(comment.bodyText)
      : row.kind === "READING_ASSIGNED" && row.documentId
        ? excerptOf(instructionOf.get(`${row.seminarId}/${row.documentId}`) ?? "")
        : "";
    const path = !row.documentId
      ? seminarPath(row.seminarId)
      : row.annotationId && (!comment || !comment.annotation.deletedAt)
        ? threadPath(row.seminarId, row.documentId, row.annotationId)
        : readingPath(row.seminarId, row.documentId);
    return {
      id: row.id,
      kind: row.kind,
      title: titleOf(row.kind, actor, readingTitle, seminarTitle),
      excerpt,
      seminarTitle,
      path,
      createdAt: row.createdAt,
      isRead: row.readAt !== null,
    };
  });
}
