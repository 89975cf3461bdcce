-- AlterTable
ALTER TABLE "Upload" ADD COLUMN     "original" BYTEA;

-- CreateTable
CREATE TABLE "ConversionProgress" (
    "id" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "fraction" DOUBLE PRECISION NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ConversionProgress_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ConversionProgress_updatedAt_idx" ON "ConversionProgress"("updatedAt");

-- AddForeignKey
ALTER TABLE "ConversionProgress" ADD CONSTRAINT "ConversionProgress_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
