-- CreateTable
CREATE TABLE "YQuarantine" (
    "id" BIGSERIAL NOT NULL,
    "room" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "rowId" BIGINT NOT NULL,
    "data" BYTEA NOT NULL,
    "reason" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "YQuarantine_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "YQuarantine_room_id_idx" ON "YQuarantine"("room", "id");
