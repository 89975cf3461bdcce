import { writeSeminarRoom } from "./projection";

/**
 * Fills a seminar room that has nothing stored yet with the projection of
 * its rows (categories, annotations, comments); does nothing otherwise. The
 * collab server calls it when it loads an empty seminar room, under the
 * room's advisory lock, so two processes fill it once.
 */
export async function ensureSeminarRoom(seminarId: string, documentId: string): Promise<void> {
  await writeSeminarRoom(seminarId, documentId, () => Promise.resolve());
}
