import { AppError } from "@/lib/shared/errors";
import { ZAssignReadingRequest } from "@/lib/shared/validation/seminars";
import { Prisma } from "../generated/prisma/client";
import { db } from "../db";
import { documentPolicy, seminarPolicy, type Actor } from "../policies";
import { getDocumentAccess } from "../policies/load-access";
import { requireSeminar } from "../policies/require";
import { notifyAccessChange } from "../realtime/access-events";
import { parseInput } from "../parse-input";
import { createNotifications } from "../notifications/create-notifications";

/** Assigns a document the instructor may read to the seminar, with an optional due date and instruction. */
export async function assignReading(actor: Actor, seminarId: string, input: unknown) {
  const access = await requireSeminar(
    actor,
    seminarId,
    seminarPolicy.assignReadings,
    "Only instructors can assign readings.",
  );
  const request = parseInput(ZAssignReadingRequest, input);
  const document = await getDocumentAccess(access.actor, request.documentId);
  if (!document || !documentPolicy.view(document)) throw new AppError("not_found", "There is no such text.");
  try {
    return await db.$transaction(async (tx) => {
      const reading = await tx.reading.create({
        data: {
          seminarId,
          documentId: request.documentId,
          dueAt: request.dueAt ? new Date(request.dueAt) : null,
          instruction: request.instruction,
        },
        select: { id: true, documentId: true, dueAt: true, instruction: true },
      });
      await notifyAccessChange({ type: "readings-changed", seminarId }, tx);
      const members = await tx.membership.findMany({ where: { seminarId }, select: { userId: true } });
      await createNotifications(
        tx,
        members.map(({ userId }) => ({
          userId,
          kind: "READING_ASSIGNED" as const,
          actorId: access.actor.userId,
          seminarId,
          documentId: reading.documentId,
        })),
      );
      return reading;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("conflict", "This text is already a reading of the seminar.");
    }
    throw error;
  }
}
