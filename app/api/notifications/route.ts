import { findNotifications } from "@/lib/server/notifications/find-notifications";
import { handler } from "../_lib/handler";

/** My newest notifications and my unread count. */
export const GET = handler(async ({ actor }) => findNotifications(actor));
