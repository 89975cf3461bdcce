-- Review search: the words of each quote and each comment stored as a tsvector, written
-- by PostgreSQL whenever the text changes (a generated column), and indexed in place of
-- the expression indexes of migration 20261127125300_review_search.
--
-- Why: a search that matches most of a large discussion (a common word) is answered by a
-- scan, not the index, and the scan then ran to_tsvector over every comment again
-- (~15 microseconds each: ~330 ms at 22,500 comments). Matching a stored vector takes
-- about one microsecond.
-- (No semicolon in these comments: the schema engine splits a script at each one.)
-- Written by hand: the Prisma schema language cannot express generated columns, so
-- schema.prisma (and its migration snapshot) do not mention these, and the search
-- (lib/server/review/find-matching-thread-ids.ts) reads them by name.

-- AlterTable
ALTER TABLE "Annotation" ADD COLUMN "quoteSearch" tsvector
  GENERATED ALWAYS AS (to_tsvector('english', "quoteExact")) STORED;

-- AlterTable
ALTER TABLE "Comment" ADD COLUMN "bodySearch" tsvector
  GENERATED ALWAYS AS (to_tsvector('english', "bodyText")) STORED;

-- CreateIndex
CREATE INDEX "Annotation_quoteSearch_idx" ON "Annotation" USING GIN ("quoteSearch");

-- CreateIndex
CREATE INDEX "Comment_bodySearch_idx" ON "Comment" USING GIN ("bodySearch");

-- DropIndex
DROP INDEX "Annotation_quoteExact_fts_idx";

-- DropIndex
DROP INDEX "Comment_bodyText_fts_idx";
