import { db } from "../db";
import type { Actor } from "../policies";

/** The actor's seminars with their readings, for the home page. */
export async function findMySeminars(actor: Actor) {
  if (!actor) return [];
  const memberships = await db.membership.findMany({
    where: { userId: actor.userId },
    orderBy: { createdAt: "desc" },
    select: {
      role: true,
      seminar: {
        select: {
          id: true,
          title: true,
          description: true,
          _count: { select: { memberships: true } },
          readings: {
            orderBy: [{ dueAt: { sort: "asc", nulls: "last" } }, { createdAt: "asc" }],
            select: {
              id: true,
              dueAt: true,
              instruction: true,
              document: { select: { id: true, slug: true, title: true, byline: true } },
            },
          },
        },
      },
    },
  });
  return memberships.map(({ role, seminar }) => ({
    id: seminar.id,
    title: seminar.title,
    description: seminar.description,
    role,
    memberCount: seminar._count.memberships,
    readings: seminar.readings,
  }));
}
