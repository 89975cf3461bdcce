/**
 * The review of a 10,000-thread discussion (issue 12): every thread is
 * reachable through the pages, exactly once, in each order; the orders hold
 * across page boundaries (the counts they sort by are computed in PostgreSQL,
 * the counts shown in JavaScript, so a disagreement shows as a broken order);
 * filters count over the whole discussion, not one page. Correctness only:
 * speed is measured by `npm run bench -- --only review`.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { findMatchingThreadIds } from "../../lib/server/review/find-matching-thread-ids";
import { findReviewThreads } from "../../lib/server/review/find-review-threads";
import type { ReviewResult, ReviewThread } from "../../lib/shared/review/review-types";
import { seedReading, seededThreadId } from "../helpers/large-discussion";

const THREADS = 10_000;
const PER_PAGE = 500;

let reading: Awaited<ReturnType<typeof seedReading>>;

beforeAll(async () => {
  reading = await seedReading(THREADS);
  // Reactions on a few comments, some on a hidden one (which must not count).
  const comments = await db.comment.findMany({
    where: { annotation: { seminarId: reading.seminarId } },
    orderBy: { id: "asc" },
    take: 60,
    select: { id: true },
  });
  const users = await db.membership.findMany({
    where: { seminarId: reading.seminarId },
    select: { userId: true },
  });
  await db.reaction.createMany({
    data: comments.flatMap((comment, i) =>
      users.slice(0, 1 + (i % users.length)).map((user) => ({
        commentId: comment.id,
        userId: user.userId,
        kind: "HELPFUL" as const,
      })),
    ),
  });
  const hidden = comments[comments.length - 1] as { id: string };
  await db.comment.update({ where: { id: hidden.id }, data: { hiddenAt: new Date() } });
}, 600_000);

async function review(query: Record<string, string | number> = {}): Promise<ReviewResult> {
  return findReviewThreads(reading.actor, reading.seminarId, reading.documentId, {
    perPage: String(PER_PAGE),
    ...Object.fromEntries(Object.entries(query).map(([key, value]) => [key, String(value)])),
  });
}

/** Every page of a query, in order. */
async function everyPage(query: Record<string, string> = {}): Promise<ReviewThread[]> {
  const first = await review(query);
  const threads = [...first.threads];
  for (let page = 2; page <= first.pageCount; page++)
    threads.push(...(await review({ ...query, page })).threads);
  return threads;
}

describe("the review of a 10,000-thread discussion", () => {
  it(
    "reaches every thread exactly once through the pages, in reading order",
    { timeout: 300_000 },
    async () => {
      const first = await review();
      expect(first.totals).toMatchObject({ threads: THREADS, shared: THREADS });
      expect(first.pageCount).toBe(THREADS / PER_PAGE);
      const threads = await everyPage();
      const ids = threads.map((thread) => thread.id);
      expect(new Set(ids).size).toBe(THREADS);
      expect(new Set(ids)).toEqual(new Set(Array.from({ length: THREADS }, (_, i) => seededThreadId(i))));
      for (let i = 1; i < threads.length; i++) {
        const [a, b] = [threads[i - 1]?.position, threads[i]?.position];
        expect(a && b && a.start <= b.start, `threads ${i - 1} and ${i} out of reading order`).toBe(true);
      }
      // Every comment is counted: the seed writes one opening comment per non-highlight and i % 4 replies.
      const seededComments = Array.from(
        { length: THREADS },
        (_, i) => (i % 4 === 0 ? 0 : 1) + (i % 4),
      ).reduce((sum, n) => sum + n, 0);
      expect(first.totals.comments).toBe(seededComments);
      expect(threads.reduce((sum, thread) => sum + thread.commentCount, 0)).toBe(seededComments);
    },
  );

  it.each(["replies", "reactions", "newest"] as const)(
    "keeps the order by %s across page boundaries",
    async (sort) => {
      const threads = await everyPage({ sort });
      expect(new Set(threads.map((thread) => thread.id)).size).toBe(THREADS);
      const key = (thread: ReviewThread) =>
        sort === "replies"
          ? thread.replyCount
          : sort === "reactions"
            ? thread.reactionCount
            : Date.parse(thread.createdAt);
      for (let i = 1; i < threads.length; i++) {
        expect(
          key(threads[i - 1] as ReviewThread),
          `${sort}: threads ${i - 1} and ${i}`,
        ).toBeGreaterThanOrEqual(key(threads[i] as ReviewThread));
      }
      if (sort === "reactions") expect(key(threads[0] as ReviewThread)).toBeGreaterThan(0);
    },
    // Twenty pages of 500 threads each; a loaded two-core machine takes its time.
    300_000,
  );

  it("counts a filter over the whole discussion, and pages within it", async () => {
    const questions = await review({ kind: "question", perPage: 100, page: 7 });
    expect(questions.totals.threads).toBe(THREADS / 4);
    expect(questions.pageCount).toBe(THREADS / 4 / 100);
    expect(questions.query.page).toBe(7);
    expect(questions.threads).toHaveLength(100);
    expect(questions.threads.every((thread) => thread.kind === "GUIDING_QUESTION")).toBe(true);

    const resolved = await everyPage({ status: "resolved" });
    const expected = Array.from({ length: THREADS }, (_, i) => i).filter(
      (i) => i % 4 !== 0 && i % 4 !== 3 && i % 10 === 1,
    );
    expect(new Set(resolved.map((thread) => thread.id))).toEqual(new Set(expected.map(seededThreadId)));
  });

  it("pages a full-text search that matches thousands of threads", { timeout: 300_000 }, async () => {
    const expected = await findMatchingThreadIds(reading.seminarId, reading.documentId, "asks");
    expect(expected.size).toBeGreaterThan(PER_PAGE);
    const found = await everyPage({ q: "asks" });
    expect(found).toHaveLength(expected.size);
    expect(new Set(found.map((thread) => thread.id))).toEqual(expected);
  });

  it("shows the last page for a page past the end", async () => {
    const result = await review({ page: 999 });
    expect(result.query.page).toBe(THREADS / PER_PAGE);
    expect(result.threads).toHaveLength(PER_PAGE);
  });
});
