import { db } from "../db";

/**
 * Where a seminar's reading of `documentId` went when the seminar reads a copy of
 * it instead (docs/adr/0026, docs/adr/0014): the copy's id, or null. The old
 * address of the reading leads there; callers check that the actor is a member
 * of the seminar first.
 */
export async function findReadingCopy(seminarId: string, documentId: string): Promise<string | null> {
  const copy = await db.reading.findFirst({
    where: { seminarId, document: { copiedFromId: documentId } },
    orderBy: { createdAt: "asc" },
    select: { documentId: true },
  });
  return copy?.documentId ?? null;
}
