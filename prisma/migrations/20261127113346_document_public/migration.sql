-- AlterTable
ALTER TABLE "Document" ADD COLUMN     "isPublic" BOOLEAN NOT NULL DEFAULT false;
