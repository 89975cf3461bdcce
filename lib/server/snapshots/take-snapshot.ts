import { AppError } from "@/lib/shared/errors";
import { ZTakeSnapshotRequest } from "@/lib/shared/review/snapshots";
import { db } from "../db";
import { seminarPolicy, type Actor } from "../policies";
import { requireSeminar } from "../policies/require";
import { captureSnapshot } from "./capture-snapshot";

/** Takes a named snapshot of a seminar's discussion of a reading (instructors). */
export async function takeSnapshot(
  actor: Actor,
  seminarId: string,
  documentId: string,
  input: unknown,
): Promise<{ id: string; name: string; createdAt: string }> {
  const access = await requireSeminar(
    actor,
    seminarId,
    seminarPolicy.snapshot,
    "Only the seminar's instructors can take snapshots.",
  );
  const parsed = ZTakeSnapshotRequest.safeParse(input);
  if (!parsed.success)
    throw new AppError("invalid_input", parsed.error.issues[0]?.message ?? "Check the snapshot's name.");
  const reading = await db.reading.findUnique({
    where: { seminarId_documentId: { seminarId, documentId } },
    select: { id: true },
  });
  if (!reading) throw new AppError("not_found", "This seminar has no such reading.");
  const snapshot = await captureSnapshot(seminarId, documentId, {
    name: parsed.data.name,
    automatic: false,
    authorId: access.actor.userId,
  });
  return { id: snapshot.id, name: parsed.data.name, createdAt: snapshot.createdAt.toISOString() };
}
