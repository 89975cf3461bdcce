-- Review: full-text search over quotes and comments, and the due-date snapshot sweep.
-- Written by hand: Prisma's schema language cannot express expression or partial
-- indexes, so schema.prisma (and its migration snapshot) do not mention them.
-- The review query (lib/server/review/search-thread-ids.ts) uses exactly these
-- expressions, so that the planner can use the indexes.

-- CreateIndex
CREATE INDEX "Annotation_quoteExact_fts_idx" ON "Annotation" USING GIN (to_tsvector('english', "quoteExact"));

-- CreateIndex
CREATE INDEX "Comment_bodyText_fts_idx" ON "Comment" USING GIN (to_tsvector('english', "bodyText"));

-- CreateIndex
CREATE INDEX "Reading_dueAt_pending_snapshot_idx" ON "Reading" ("dueAt") WHERE "dueSnapshotAt" IS NULL AND "dueAt" IS NOT NULL;
