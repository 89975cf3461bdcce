import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/server/auth/get-current-user";
import { findNotifications } from "@/lib/server/notifications/find-notifications";
import { NOTIFICATION_SETTINGS_PATH, NOTIFICATIONS_PATH, signInUrl } from "@/lib/shared/urls";
import { NotificationList } from "./notification-list";

export const metadata: Metadata = { title: "Notifications" };
export const dynamic = "force-dynamic";

/** The inbox: replies, mentions, guiding questions, readings and due dates, newest first. */
export default async function NotificationsPage() {
  const user = await getCurrentUser();
  if (!user) redirect(signInUrl(NOTIFICATIONS_PATH));
  const { notifications, unreadCount } = await findNotifications({ userId: user.id });
  return (
    <div className="page page-narrow">
      <p className="eyebrow">Inbox</p>
      <h1 className="page-title">Notifications</h1>
      <p className="lede">
        {unreadCount === 0 ? "Nothing unread." : unreadCount === 1 ? "1 unread." : `${unreadCount} unread.`}{" "}
        <Link href={NOTIFICATION_SETTINGS_PATH}>Notification settings</Link>
      </p>
      <NotificationList
        notifications={notifications.map((n) => ({ ...n, createdAt: n.createdAt.toISOString() }))}
      />
    </div>
  );
}
