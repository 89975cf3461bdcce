import { isVisibleBeforePosting } from "@/lib/shared/post-first/post-first";
import type { Tx } from "../db";
import type { NotificationEvent } from "../notifications/create-notifications";

/**
 * Post first, then see (docs/adr/0019) for notifications: a student who must still post
 * on a reading is not told of a comment they may not see there (a classmate's reply or
 * mention, or anything in a classmate's thread). Its words would otherwise reach them in
 * the inbox's excerpt and in emails, which the view room exists to prevent. Runs in the
 * event's transaction, one query at a time (a transaction is one connection); readings
 * without a gate cost one query.
 */
export async function dropEventsBeforePosting(
  tx: Tx,
  events: readonly NotificationEvent[],
): Promise<NotificationEvent[]> {
  const aboutThreads = events.filter((event) => event.documentId && event.annotationId);
  if (aboutThreads.length === 0) return [...events];
  const readingKeys = uniqueBy(aboutThreads, (event) => `${event.seminarId}/${event.documentId}`);
  const gatedReadings = await tx.reading.findMany({
    where: {
      postFirstCount: { not: null },
      OR: readingKeys.map((event) => ({
        seminarId: event.seminarId,
        documentId: event.documentId as string,
      })),
    },
    select: { seminarId: true, documentId: true, postFirstCount: true },
  });
  if (gatedReadings.length === 0) return [...events];

  const threads = await tx.annotation.findMany({
    where: { id: { in: [...new Set(aboutThreads.map((event) => event.annotationId as string))] } },
    select: { id: true, authorId: true },
  });
  const threadAuthorOf = new Map(threads.map((thread) => [thread.id, thread.authorId]));
  const people = new Set<string>();
  for (const event of aboutThreads) {
    people.add(event.userId);
    if (event.actorId) people.add(event.actorId);
    const threadAuthor = threadAuthorOf.get(event.annotationId as string);
    if (threadAuthor) people.add(threadAuthor);
  }
  const memberships = await tx.membership.findMany({
    where: {
      seminarId: { in: gatedReadings.map((reading) => reading.seminarId) },
      userId: { in: [...people] },
    },
    select: { seminarId: true, userId: true, role: true },
  });
  const roleOf = new Map(memberships.map((m) => [`${m.seminarId}/${m.userId}`, m.role as string]));

  const locked = new Set<string>();
  for (const reading of gatedReadings) {
    const students = [
      ...new Set(
        aboutThreads
          .filter((event) => event.seminarId === reading.seminarId && event.documentId === reading.documentId)
          .map((event) => event.userId)
          .filter((userId) => roleOf.get(`${reading.seminarId}/${userId}`) === "STUDENT"),
      ),
    ];
    if (students.length === 0) continue;
    // The same count as getPostFirstGate: comments not deleted, in threads not deleted.
    const posted = await tx.comment.groupBy({
      by: ["authorId"],
      where: {
        authorId: { in: students },
        deletedAt: null,
        annotation: { seminarId: reading.seminarId, documentId: reading.documentId, deletedAt: null },
      },
      _count: { _all: true },
    });
    const postedBy = new Map(posted.map((row) => [row.authorId, row._count._all]));
    for (const userId of students) {
      if ((postedBy.get(userId) ?? 0) < (reading.postFirstCount as number))
        locked.add(`${reading.seminarId}/${reading.documentId}/${userId}`);
    }
  }

  const writer = (seminarId: string, id: string | null | undefined) => ({
    id: id ?? "",
    role: id ? (roleOf.get(`${seminarId}/${id}`) ?? null) : null,
  });
  return events.filter((event) => {
    if (!event.documentId || !event.annotationId) return true;
    if (!locked.has(`${event.seminarId}/${event.documentId}/${event.userId}`)) return true;
    const threadAuthor = threadAuthorOf.get(event.annotationId);
    return (
      isVisibleBeforePosting(writer(event.seminarId, threadAuthor), event.userId) &&
      isVisibleBeforePosting(writer(event.seminarId, event.actorId), event.userId)
    );
  });
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}
