import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/server/auth/get-current-user";
import { getNotificationPreferences } from "@/lib/server/notifications/get-notification-preferences";
import { NOTIFICATION_SETTINGS_PATH, NOTIFICATIONS_PATH, signInUrl } from "@/lib/shared/urls";
import { NotificationSettingsForm } from "./notification-settings-form";

export const metadata: Metadata = { title: "Notification settings" };
export const dynamic = "force-dynamic";

/** Per kind: email at once, daily digest, in the app only, or off. */
export default async function NotificationSettingsPage() {
  const user = await getCurrentUser();
  if (!user) redirect(signInUrl(NOTIFICATION_SETTINGS_PATH));
  const { channels, isEmailConfigured } = await getNotificationPreferences({ userId: user.id });
  return (
    <div className="page page-narrow">
      <p className="eyebrow">
        <Link href={NOTIFICATIONS_PATH}>Notifications</Link>
      </p>
      <h1 className="page-title">Notification settings</h1>
      <p className="lede">
        Choose, for each kind, how you hear of it. Emails go to {user.email}.
        {isEmailConfigured ? "" : " This server sends no email, so email and digests show in the app only."}
      </p>
      <NotificationSettingsForm initial={channels} />
    </div>
  );
}
