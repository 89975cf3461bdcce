/**
 * Notification kinds and channels as the settings page, the inbox, emails and
 * the API name them. The same strings are the Prisma enums' values.
 */
import "../validation/zod-in-browsers";
import { z } from "zod";

/** Every kind of notification, in the order the settings page lists them. */
export const NOTIFICATION_KINDS = [
  "MENTION",
  "REPLY",
  "INSTRUCTOR_REPLY",
  "GUIDING_QUESTION",
  "READING_ASSIGNED",
  "READING_DUE",
] as const;

/** A kind of notification. */
export type NotificationKindName = (typeof NOTIFICATION_KINDS)[number];

/** Every channel, from the most to the least insistent. */
export const NOTIFICATION_CHANNELS = ["EMAIL", "DIGEST", "IN_APP", "OFF"] as const;

/** How a person wants one kind. */
export type NotificationChannelName = (typeof NOTIFICATION_CHANNELS)[number];

/** What each kind is, in words for the settings page and the unsubscribe page. */
export const NOTIFICATION_KIND_LABELS: Record<NotificationKindName, string> = {
  MENTION: "Someone mentions me",
  REPLY: "Replies in threads I started or joined",
  INSTRUCTOR_REPLY: "An instructor replies to me",
  GUIDING_QUESTION: "New guiding questions",
  READING_ASSIGNED: "New readings",
  READING_DUE: "A reading is due tomorrow",
};

/** Each channel in words. */
export const NOTIFICATION_CHANNEL_LABELS: Record<NotificationChannelName, string> = {
  EMAIL: "Email at once",
  DIGEST: "Daily digest",
  IN_APP: "In the app only",
  OFF: "Off",
};

/**
 * The channel of a kind nobody has chosen for: what is addressed to me by
 * name comes by email, the rest of the seminar's activity in the digest.
 * Without SMTP_URL every email channel behaves as in-app only.
 */
export const DEFAULT_CHANNELS: Record<NotificationKindName, NotificationChannelName> = {
  MENTION: "EMAIL",
  INSTRUCTOR_REPLY: "EMAIL",
  READING_DUE: "EMAIL",
  REPLY: "DIGEST",
  GUIDING_QUESTION: "DIGEST",
  READING_ASSIGNED: "DIGEST",
};

/**
 * When one event concerns a person in several ways (an instructor's reply
 * that also mentions them), they get one notification, of the kind that
 * comes first here.
 */
export const KIND_PRECEDENCE: readonly NotificationKindName[] = [
  "MENTION",
  "INSTRUCTOR_REPLY",
  "REPLY",
  "GUIDING_QUESTION",
  "READING_ASSIGNED",
  "READING_DUE",
];

/** A settings change: some kinds, each with its new channel. */
export const ZUpdateNotificationPreferencesRequest = z
  .object({
    channels: z.partialRecord(z.enum(NOTIFICATION_KINDS), z.enum(NOTIFICATION_CHANNELS)),
  })
  .strict();
/** What {@link ZUpdateNotificationPreferencesRequest} accepts. */
export type TUpdateNotificationPreferencesRequest = z.infer<typeof ZUpdateNotificationPreferencesRequest>;

/** Mark some notifications read, or all of them. */
export const ZMarkNotificationsReadRequest = z.union([
  z.object({ ids: z.array(z.string().min(1).max(64)).min(1).max(500) }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);
/** What {@link ZMarkNotificationsReadRequest} accepts. */
export type TMarkNotificationsReadRequest = z.infer<typeof ZMarkNotificationsReadRequest>;
