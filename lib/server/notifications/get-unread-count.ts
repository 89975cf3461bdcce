import { db } from "../db";

/** How many unread notifications a person has (in seminars they are still a member of). */
export async function getUnreadCount(userId: string): Promise<number> {
  return db.notification.count({
    where: { userId, readAt: null, seminar: { memberships: { some: { userId } } } },
  });
}
