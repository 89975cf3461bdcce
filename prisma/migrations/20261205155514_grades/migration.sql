-- AlterTable
ALTER TABLE "Reading" ADD COLUMN     "gradeMaxPoints" INTEGER NOT NULL DEFAULT 10,
ADD COLUMN     "gradeMinWords" INTEGER NOT NULL DEFAULT 10,
ADD COLUMN     "gradeOnTimeOnly" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "gradeReplyPoints" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "gradeThreadPoints" INTEGER NOT NULL DEFAULT 2;

-- CreateTable
CREATE TABLE "GradeOverride" (
    "id" TEXT NOT NULL,
    "readingId" TEXT NOT NULL,
    "studentId" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "reason" TEXT NOT NULL,
    "setById" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GradeOverride_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "GradeOverride_readingId_studentId_key" ON "GradeOverride"("readingId", "studentId");

-- AddForeignKey
ALTER TABLE "GradeOverride" ADD CONSTRAINT "GradeOverride_readingId_fkey" FOREIGN KEY ("readingId") REFERENCES "Reading"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GradeOverride" ADD CONSTRAINT "GradeOverride_studentId_fkey" FOREIGN KEY ("studentId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GradeOverride" ADD CONSTRAINT "GradeOverride_setById_fkey" FOREIGN KEY ("setById") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
