import { AppError } from "@/lib/shared/errors";
import type { Prisma } from "../generated/prisma/client";
import { db } from "../db";
import { findReadingCopy } from "./find-reading-copy";

/**
 * Loads a seminar's reading of a document with the fields in `select`, or
 * throws not_found. Callers check the actor's access to the seminar first
 * (`requireSeminar`), so this answers only "is the text assigned here?". When
 * the seminar reads a copy of the text instead, the error's details name it
 * (`movedTo.documentId`), so a page can send the reader to the copy.
 */
export async function requireReading<Select extends Prisma.ReadingSelect>(
  seminarId: string,
  documentId: string,
  select: Select,
): Promise<Prisma.ReadingGetPayload<{ select: Select }>> {
  const reading = await db.reading.findUnique({
    where: { seminarId_documentId: { seminarId, documentId } },
    select,
  });
  if (!reading) {
    // The seminar now reads a copy of this text (docs/adr/0026): pages send its members on.
    const copyId = await findReadingCopy(seminarId, documentId);
    if (copyId)
      throw new AppError("not_found", "This seminar now reads its own copy of this text.", {
        movedTo: { documentId: copyId },
      });
    throw new AppError("not_found", "This seminar has no such reading.");
  }
  return reading;
}
