import { AppError } from "@/lib/shared/errors";
import { ZAssignReadingRequest } from "@/lib/shared/validation/seminars";
import { Prisma } from "../generated/prisma/client";
import { db } from "../db";
import { documentPolicy, seminarPolicy, type Actor } from "../policies";
import { getDocumentAccess } from "../policies/load-access";
import { requireSeminar } from "../policies/require";
import { notifyAccessChange } from "../realtime/access-events";

/** Assigns a document the instructor may read to the seminar, with an optional due date and instruction. */
export async function assignReading(actor: Actor, seminarId: string, input: unknown) {
  const access = await requireSeminar(
    actor,
    seminarId,
    seminarPolicy.assignReadings,
    "Only instructors can assign readings.",
  );
  const parsed = ZAssignReadingRequest.safeParse(input);
  if (!parsed.success)
    throw new AppError("invalid_input", parsed.error.issues[0]?.message ?? "Check the form.");
  const document = await getDocumentAccess(access.actor, parsed.data.documentId);
  if (!document || !documentPolicy.view(document)) throw new AppError("not_found", "There is no such text.");
  try {
    return await db.$transaction(async (tx) => {
      const reading = await tx.reading.create({
        data: {
          seminarId,
          documentId: parsed.data.documentId,
          dueAt: parsed.data.dueAt ? new Date(parsed.data.dueAt) : null,
          instruction: parsed.data.instruction,
        },
        select: { id: true, documentId: true, dueAt: true, instruction: true },
      });
      await notifyAccessChange({ type: "readings-changed", seminarId }, tx);
      return reading;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("conflict", "This text is already a reading of the seminar.");
    }
    throw error;
  }
}
