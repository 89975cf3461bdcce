import type { Tx } from "../db";
import { db } from "../db";
import { projectCategories, writeSeminarRoom } from "../realtime/projection";

/**
 * Category changes belong in every reading room of the seminar. Each room is
 * its own transaction (one room, one lock); the category rows are already
 * committed by `change`, which runs first in the first room's transaction.
 */
export async function changeCategoriesEverywhere<T>(
  seminarId: string,
  change: (tx: Tx) => Promise<T>,
): Promise<T> {
  const readings = await db.reading.findMany({ where: { seminarId }, select: { documentId: true } });
  if (readings.length === 0) return db.$transaction(change);
  const [first, ...rest] = readings as [{ documentId: string }, ...{ documentId: string }[]];
  const { result } = await writeSeminarRoom(seminarId, first.documentId, async (tx, doc) => {
    const value = await change(tx);
    await projectCategories(tx, doc, seminarId);
    return value;
  });
  for (const reading of rest) {
    await writeSeminarRoom(seminarId, reading.documentId, (tx, doc) => projectCategories(tx, doc, seminarId));
  }
  return result;
}
