import { ZTakeSnapshotRequest } from "@/lib/shared/review/snapshots";
import { seminarPolicy, type Actor } from "../policies";
import { requireSeminar } from "../policies/require";
import { captureSnapshot } from "./capture-snapshot";
import { parseInput } from "../parse-input";
import { requireReading } from "../seminars/require-reading";

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
  const request = parseInput(ZTakeSnapshotRequest, input, { fallback: "Check the snapshot's name." });
  await requireReading(seminarId, documentId, { id: true });
  const snapshot = await captureSnapshot(seminarId, documentId, {
    name: request.name,
    automatic: false,
    authorId: access.actor.userId,
  });
  return { id: snapshot.id, name: request.name, createdAt: snapshot.createdAt.toISOString() };
}
