import { AppError } from "@/lib/shared/errors";
import { createUnreadCountStream } from "@/lib/server/notifications/unread-count-stream";
import { handler } from "../../_lib/handler";

export const dynamic = "force-dynamic";

/** My unread count, live, as server-sent events (the header's bell). */
export const GET = handler(({ request, actor }) => {
  if (!actor) throw new AppError("unauthenticated", "Sign in first.");
  const stream = createUnreadCountStream(actor.userId, request.signal);
  return Promise.resolve(
    new Response(stream, {
      headers: {
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-store, no-transform",
        "X-Accel-Buffering": "no",
      },
    }),
  );
});
