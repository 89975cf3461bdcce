import { markNotificationsRead } from "@/lib/server/notifications/mark-notifications-read";
import { handler, readJson } from "../../_lib/handler";

/** Marks notifications read: `{ ids: [...] }` or `{ all: true }`. */
export const POST = handler(async ({ request, actor }) =>
  markNotificationsRead(actor, await readJson(request)),
);
