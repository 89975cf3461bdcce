/**
 * A conversion's progress, for the uploader's progress bar. The converting
 * process writes it to a `ConversionProgress` row (the browser's next poll
 * may reach another app process, docs/adr/0020); the browser names the row
 * with an id of its own choosing, sent with the upload. Only its owner reads
 * it; anyone else, like a signed-out poll, gets 404.
 */
import { AppError } from "@/lib/shared/errors";
import { ZConversionJobId } from "@/lib/shared/validation/uploads";
import { db } from "../db";
import type { Actor } from "../policies";
import { parseInput } from "../parse-input";

/** One progress report of the converter. */
export type ConversionStep = { stage: string; fraction: number };

/** Rows older than this belong to a conversion that can no longer be running (the OCR limit is 10 min). */
export const STALE_PROGRESS_MS = 60 * 60 * 1000;

/**
 * A recorder for one conversion: `report` keeps the newest step and writes
 * it when no write is in flight (so a burst of steps costs one or two
 * writes, never a queue); `finish` waits for the last write and deletes the row.
 * A write that fails is dropped: progress is a courtesy, the conversion goes on.
 */
export function recordConversionProgress(ownerId: string, jobId: string) {
  let pending: ConversionStep | null = null;
  let writing: Promise<void> | null = null;
  const write = async (step: ConversionStep) => {
    const fraction = Math.min(1, Math.max(0, step.fraction));
    const stage = step.stage.slice(0, 200);
    // The owner guard keeps a row someone else named (the same id) from being overwritten.
    await db.$executeRaw`
      INSERT INTO "ConversionProgress" ("id", "ownerId", "stage", "fraction", "updatedAt")
      VALUES (${jobId}, ${ownerId}, ${stage}, ${fraction}, now())
      ON CONFLICT ("id") DO UPDATE SET "stage" = EXCLUDED."stage", "fraction" = EXCLUDED."fraction",
        "updatedAt" = now()
      WHERE "ConversionProgress"."ownerId" = EXCLUDED."ownerId"`;
  };
  const drain = () => {
    if (writing || !pending) return;
    const step = pending;
    pending = null;
    writing = write(step)
      .catch(() => undefined)
      .finally(() => {
        writing = null;
        drain();
      });
  };
  return {
    report(step: ConversionStep) {
      pending = step;
      drain();
    },
    async finish() {
      pending = null;
      while (writing) await writing;
      await db.conversionProgress.deleteMany({ where: { id: jobId, ownerId } }).catch(() => undefined);
    },
  };
}

/** The actor's conversion's progress; not_found before the first step is written, after the end, and for anyone else. */
export async function getConversionProgress(actor: Actor, jobId: unknown): Promise<ConversionStep> {
  if (!actor) throw new AppError("unauthenticated", "Sign in first.");
  const id = parseInput(ZConversionJobId, jobId);
  const row = await db.conversionProgress.findUnique({ where: { id } });
  if (!row || row.ownerId !== actor.userId) {
    throw new AppError("not_found", "No conversion of yours is running under this id.");
  }
  return { stage: row.stage, fraction: row.fraction };
}
