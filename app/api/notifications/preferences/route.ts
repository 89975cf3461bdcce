import { getNotificationPreferences } from "@/lib/server/notifications/get-notification-preferences";
import { updateNotificationPreferences } from "@/lib/server/notifications/update-notification-preferences";
import { handler, readJson } from "../../_lib/handler";

/** My channel for every kind. */
export const GET = handler(async ({ actor }) => getNotificationPreferences(actor));

/** Sets my channel for some kinds: `{ channels: { MENTION: "EMAIL", ... } }`. */
export const PATCH = handler(async ({ request, actor }) =>
  updateNotificationPreferences(actor, await readJson(request)),
);
