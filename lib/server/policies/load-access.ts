/**
 * Loads the facts the policies decide on. Kept apart from the policies so
 * those stay pure and table-testable.
 */
import type { Room } from "@/lib/shared/rooms";
import { db } from "../db";
import { getPostFirstGate } from "../post-first/get-post-first-gate";
import type { Actor, DocumentAccess, RoomAccess, SeminarAccess } from "./index";

/** The actor's role in a seminar (null role when not a member). */
export async function getSeminarAccess(actor: Actor, seminarId: string): Promise<SeminarAccess> {
  if (!actor) return { actor, role: null };
  const membership = await db.membership.findUnique({
    where: { userId_seminarId: { userId: actor.userId, seminarId } },
    select: { role: true },
  });
  return { actor, role: membership?.role ?? null };
}

/** Facts about a document for the actor; null when the document does not exist. */
export async function getDocumentAccess(actor: Actor, documentId: string): Promise<DocumentAccess | null> {
  const document = await db.document.findUnique({
    where: { id: documentId },
    select: { isPublic: true, ownerId: true },
  });
  if (!document) return null;
  const assigningRoles = actor
    ? (
        await db.membership.findMany({
          where: { userId: actor.userId, seminar: { readings: { some: { documentId } } } },
          select: { role: true },
        })
      ).map((membership) => membership.role)
    : [];
  return { actor, isPublic: document.isPublic, ownerId: document.ownerId, assigningRoles };
}

/** Facts about a room's subject; null when the document or seminar does not exist. */
export async function getRoomAccess(actor: Actor, room: Room): Promise<RoomAccess | null> {
  if (room.kind === "seminar" || room.kind === "view") {
    const [seminar, document] = await Promise.all([
      db.seminar.findUnique({ where: { id: room.seminarId }, select: { id: true } }),
      db.document.findUnique({ where: { id: room.documentId }, select: { id: true } }),
    ]);
    if (!seminar || !document) return null;
    const [access, reading] = await Promise.all([
      getSeminarAccess(actor, room.seminarId),
      db.reading.findUnique({
        where: { seminarId_documentId: { seminarId: room.seminarId, documentId: room.documentId } },
        select: { id: true },
      }),
    ]);
    if (room.kind === "view") return { room, seminar: access, isAssigned: reading !== null };
    const gate = actor ? await getPostFirstGate(room.seminarId, room.documentId, actor.userId) : null;
    return { room, seminar: access, isAssigned: reading !== null, mustPostFirst: gate?.isLocked ?? false };
  }
  const document = await getDocumentAccess(actor, room.documentId);
  if (!document) return null;
  if (room.kind === "notes") {
    const owner = await db.user.findUnique({ where: { id: room.userId }, select: { id: true } });
    if (!owner) return null;
    return { room, document };
  }
  return { room, document };
}
