import { db } from "../lib/server/db";
import { seedReading } from "../tests/helpers/large-discussion";
import { openScratchDatabase } from "../tests/helpers/scratch-database";
import { findMatchingThreadIds } from "../lib/server/review/find-matching-thread-ids";
import { findReviewThreads } from "../lib/server/review/find-review-threads";
const scratch = await openScratchDatabase("searchx");
try {
  const r = await seedReading(10000);
  for (let i = 0; i < 3; i++) {
    let t = performance.now();
    const ids = await findMatchingThreadIds(r.seminarId, r.documentId, "sentence reading", { includeHidden: true });
    const a = performance.now() - t; t = performance.now();
    await findReviewThreads(r.actor, r.seminarId, r.documentId, { q: "sentence reading" });
    const b = performance.now() - t; t = performance.now();
    await findReviewThreads(r.actor, r.seminarId, r.documentId, {});
    const c = performance.now() - t;
    console.log(`match ${a.toFixed(0)} ms (${ids.size}); review search ${b.toFixed(0)}; review default ${c.toFixed(0)}`);
  }
  const plan = await db.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN (ANALYZE, BUFFERS) SELECT c."annotationId" FROM "Comment" c JOIN "Annotation" a ON a."id" = c."annotationId" WHERE a."seminarId" = '${r.seminarId}' AND a."documentId" = '${r.documentId}' AND a."deletedAt" IS NULL AND c."deletedAt" IS NULL AND to_tsvector('english', c."bodyText") @@ websearch_to_tsquery('english', 'sentence reading')`);
  console.log(plan.map((row) => row["QUERY PLAN"]).join("\n"));
} finally { await scratch.close(); }
