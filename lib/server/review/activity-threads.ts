/**
 * A reading's shared discussion as the views that count it read it
 * (participation, grades, the paragraph strip): each thread's kind, author
 * and date, and each of its live comments' author, date and words. Lean on
 * purpose: these views ran on the review's full rows (names, categories,
 * anchors, reactions counted per comment), which at 10,000 threads took
 * ~700 ms to read for each view, on the review page beside its first results.
 */
import { cache } from "react";
import type { AnnotationKind } from "../generated/prisma/enums";
import { db } from "../db";
import { countWords } from "./thread-rows";

/** A live comment of an {@link ActivityThread}. */
export type ActivityComment = {
  authorId: string;
  createdAt: Date;
  /** Its words, as {@link countWords} counts them. */
  words: number;
  /**
   * Whether it opened its thread: the oldest comment of a comment thread or
   * guiding question (every comment on a highlight is a reply). An opening
   * comment since deleted leaves no comment that opens.
   */
  opens: boolean;
};

/** A reading's shared, undeleted thread with its live comments, oldest first. */
export type ActivityThread = {
  id: string;
  kind: AnnotationKind;
  authorId: string;
  createdAt: Date;
  comments: ActivityComment[];
};

/**
 * A reading's shared, undeleted threads, oldest first, each with its live
 * comments, oldest first. Two queries rather than one join: joined to the
 * threads, the comments' numbering (a window over a subquery) cannot be
 * merged into the join, and a planner without statistics yet (a freshly
 * filled table) chose to run it again for every thread.
 *
 * Read once per request (React `cache`): the review page's participation and
 * grades both count the same discussion. Outside a request it reads each time.
 */
export const findActivityThreads = cache(
  async (seminarId: string, documentId: string): Promise<ActivityThread[]> => {
    const [threadRows, commentRows] = await Promise.all([
      db.$queryRaw<{ id: string; kind: AnnotationKind; authorId: string; createdAt: Date }[]>`
      SELECT "id", "kind"::text AS "kind", "authorId", "createdAt"
      FROM "Annotation"
      WHERE "seminarId" = ${seminarId} AND "documentId" = ${documentId} AND "deletedAt" IS NULL
      ORDER BY "createdAt", "id"`,
      // Comments are numbered before deleted ones are left out: the oldest opened its thread
      // even when since deleted, as splitComments (thread-rows.ts) and the review's counts have it.
      db.$queryRaw<
        { annotationId: string; authorId: string; createdAt: Date; bodyText: string; opens: boolean }[]
      >`
      SELECT c."annotationId", c."authorId", c."createdAt", c."bodyText", c."opens"
      FROM (
        SELECT c."annotationId", c."authorId", c."createdAt", c."bodyText", c."deletedAt", c."id",
          (row_number() OVER (PARTITION BY c."annotationId" ORDER BY c."createdAt", c."id") = 1
            AND a."kind" <> 'HIGHLIGHT') AS "opens"
        FROM "Comment" c
        JOIN "Annotation" a ON a."id" = c."annotationId"
        WHERE a."seminarId" = ${seminarId} AND a."documentId" = ${documentId} AND a."deletedAt" IS NULL
      ) c
      WHERE c."deletedAt" IS NULL
      ORDER BY c."annotationId", c."createdAt", c."id"`,
    ]);
    // A comment whose thread was written between the two queries has no thread here: left out.
    const threads = threadRows.map((row): ActivityThread => ({ ...row, comments: [] }));
    const byId = new Map(threads.map((thread) => [thread.id, thread]));
    for (const row of commentRows)
      byId.get(row.annotationId)?.comments.push({
        authorId: row.authorId,
        createdAt: row.createdAt,
        words: countWords(row.bodyText),
        opens: row.opens,
      });
    return threads;
  },
);
