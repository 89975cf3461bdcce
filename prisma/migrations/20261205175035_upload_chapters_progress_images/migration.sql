-- AlterTable
ALTER TABLE "Upload" ADD COLUMN     "original" BYTEA;

-- CreateTable
CREATE TABLE "UploadImage" (
    "uploadId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "mediaType" TEXT NOT NULL,
    "bytes" BYTEA NOT NULL,
    "alt" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "UploadImage_pkey" PRIMARY KEY ("uploadId","key")
);

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
CREATE INDEX "UploadImage_key_idx" ON "UploadImage"("key");

-- CreateIndex
CREATE INDEX "ConversionProgress_updatedAt_idx" ON "ConversionProgress"("updatedAt");

-- AddForeignKey
ALTER TABLE "UploadImage" ADD CONSTRAINT "UploadImage_uploadId_fkey" FOREIGN KEY ("uploadId") REFERENCES "Upload"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConversionProgress" ADD CONSTRAINT "ConversionProgress_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
