import { AppError } from "@/lib/shared/errors";
import { ZAssignReadingRequest } from "@/lib/shared/validation/seminars";
import { Prisma } from "../generated/prisma/client";
import { db } from "../db";
import { createOwnedDocument } from "../documents/create-owned-document";
import { getCurrentText } from "../documents/get-current-text";
import { documentPolicy, seminarPolicy, type Actor } from "../policies";
import { getDocumentAccess } from "../policies/load-access";
import { requireSeminar } from "../policies/require";
import { notifyAccessChange } from "../realtime/access-events";
import { parseInput } from "../parse-input";
import { createNotifications } from "../notifications/create-notifications";

/**
 * Assigns a document the instructor may read to the seminar, with an optional
 * due date and instruction. Someone else's uploaded text is not assigned
 * itself: a seminar copy owned by the instructor is made from its current
 * text and assigned instead (docs/adr/0014), so its owner's edits never
 * reach another seminar unasked. `copiedFrom` says when that happened.
 */
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
  const isCopy = !documentPolicy.assignWithoutCopy(document);
  const currentText = isCopy ? await getCurrentText(request.documentId) : null;
  try {
    return await db.$transaction(async (tx) => {
      let documentId = request.documentId;
      if (currentText) {
        const original = await tx.document.findUniqueOrThrow({
          where: { id: request.documentId },
          select: { title: true, byline: true, source: true, date: true },
        });
        const copy = await createOwnedDocument(tx, {
          ownerId: access.actor.userId,
          content: currentText,
          metadata: original,
          copiedFromId: request.documentId,
        });
        documentId = copy.id;
      }
      const reading = await tx.reading.create({
        data: {
          seminarId,
          documentId,
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
      return { ...reading, copiedFrom: isCopy ? request.documentId : null };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("conflict", "This text is already a reading of the seminar.");
    }
    throw error;
  }
}
