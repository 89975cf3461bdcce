import { AppError } from "@/lib/shared/errors";
import type { Prisma } from "../generated/prisma/client";
import { db } from "../db";

/**
 * Loads a seminar's reading of a document with the fields in `select`, or
 * throws not_found. Callers check the actor's access to the seminar first
 * (`requireSeminar`), so this answers only "is the text assigned here?".
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
  if (!reading) throw new AppError("not_found", "This seminar has no such reading.");
  return reading;
}
