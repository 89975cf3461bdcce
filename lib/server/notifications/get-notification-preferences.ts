import {
  DEFAULT_CHANNELS,
  NOTIFICATION_KINDS,
  type NotificationChannelName,
  type NotificationKindName,
} from "@/lib/shared/notifications/kinds";
import { AppError } from "@/lib/shared/errors";
import { db } from "../db";
import { getEnv } from "../env";
import type { Actor } from "../policies";

/** The actor's channel for every kind (defaults filled in), and whether email can be sent at all. */
export async function getNotificationPreferences(
  actor: Actor,
): Promise<{ channels: Record<NotificationKindName, NotificationChannelName>; isEmailConfigured: boolean }> {
  if (!actor) throw new AppError("unauthenticated", "Sign in first.");
  const rows = await db.notificationPreference.findMany({ where: { userId: actor.userId } });
  const chosen = new Map(rows.map((row) => [row.kind, row.channel]));
  const channels = Object.fromEntries(
    NOTIFICATION_KINDS.map((kind) => [kind, chosen.get(kind) ?? DEFAULT_CHANNELS[kind]]),
  ) as Record<NotificationKindName, NotificationChannelName>;
  return { channels, isEmailConfigured: Boolean(getEnv().SMTP_URL) };
}
