import { AppError } from "@/lib/shared/errors";
import { db } from "../db";
import type { Actor } from "../policies";
import { loadNotificationViews, type NotificationView } from "./notification-views";

/** The inbox: the newest notifications first, and how many are unread. */
export async function findNotifications(
  actor: Actor,
  options: { limit?: number } = {},
): Promise<{ notifications: NotificationView[]; unreadCount: number }> {
  if (!actor) throw new AppError("unauthenticated", "Sign in first.");
  // Only about seminars the reader is still a member of.
  const where = { userId: actor.userId, seminar: { memberships: { some: { userId: actor.userId } } } };
  const [rows, unreadCount] = await Promise.all([
    db.notification.findMany({ where, orderBy: { createdAt: "desc" }, take: options.limit ?? 100 }),
    db.notification.count({ where: { ...where, readAt: null } }),
  ]);
  return { notifications: await loadNotificationViews(rows), unreadCount };
}
