-- AlterTable
ALTER TABLE "Reading" ADD COLUMN     "postFirstCount" INTEGER;
