-- AlterTable
ALTER TABLE "Comment" ADD COLUMN     "tags" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateIndex
CREATE INDEX "Comment_tags_idx" ON "Comment" USING GIN ("tags");
