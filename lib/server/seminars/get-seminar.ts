import { db } from "../db";
import { seminarPolicy, type Actor } from "../policies";
import { requireSeminar } from "../policies/require";

/** A seminar as its members see it; instructors also get the invite and the documents they can assign. */
export async function getSeminar(actor: Actor, seminarId: string) {
  const access = await requireSeminar(actor, seminarId);
  const isInstructor = seminarPolicy.manageMembers(access);
  const seminar = await db.seminar.findUniqueOrThrow({
    where: { id: seminarId },
    select: {
      id: true,
      title: true,
      description: true,
      createdAt: true,
      readings: {
        orderBy: [{ dueAt: { sort: "asc", nulls: "last" } }, { createdAt: "asc" }],
        select: {
          id: true,
          dueAt: true,
          instruction: true,
          postFirstCount: true,
          document: { select: { id: true, slug: true, title: true, byline: true, source: true } },
        },
      },
      memberships: {
        orderBy: [{ role: "asc" }, { createdAt: "asc" }],
        select: { role: true, createdAt: true, user: { select: { id: true, name: true, email: true } } },
      },
      categories: { orderBy: { position: "asc" }, select: { id: true, name: true, color: true } },
    },
  });
  const invite = isInstructor
    ? await db.invite.findFirst({
        where: { seminarId, revokedAt: null },
        orderBy: { createdAt: "desc" },
        select: { code: true, expiresAt: true },
      })
    : null;
  const assignedIds = new Set(seminar.readings.map((reading) => reading.document.id));
  const assignable = isInstructor
    ? (
        await db.document.findMany({
          where: {
            OR: [
              { isPublic: true },
              { ownerId: access.actor.userId },
              {
                readings: {
                  some: {
                    seminar: { memberships: { some: { userId: access.actor.userId, role: "INSTRUCTOR" } } },
                  },
                },
              },
            ],
          },
          orderBy: { title: "asc" },
          select: { id: true, title: true, byline: true },
        })
      ).filter((document) => !assignedIds.has(document.id))
    : [];
  return {
    ...seminar,
    role: access.role,
    viewerId: access.actor.userId,
    invite,
    assignable,
    members: seminar.memberships.map((membership) => ({
      ...membership.user,
      role: membership.role,
      joinedAt: membership.createdAt,
    })),
  };
}
