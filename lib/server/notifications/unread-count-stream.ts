import { getUnreadCount } from "./get-unread-count";
import { subscribeUnreadChanges } from "./unread-events";

/** How often an idle stream sends a comment line, so proxies keep it open. */
const HEARTBEAT_MS = 25_000;

/**
 * A person's unread count as server-sent events: `event: unread` with the
 * count, once at once and again after every change (unread-events.ts), until
 * `signal` aborts (the browser went away). Counts are re-read from Postgres
 * on each notice, so a missed or doubled notice costs nothing.
 */
export function createUnreadCountStream(userId: string, signal: AbortSignal): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let stop = () => {};
  return new ReadableStream<Uint8Array>({
    start: async (controller) => {
      let isOpen = true;
      let last = -1;
      const send = (text: string) => {
        if (isOpen) controller.enqueue(encoder.encode(text));
      };
      const sendCount = async () => {
        const count = await getUnreadCount(userId);
        if (count !== last) {
          last = count;
          send(`event: unread\ndata: ${count}\n\n`);
        }
      };
      const unsubscribe = await subscribeUnreadChanges((changed) => {
        if (changed === userId) sendCount().catch(() => stop());
      });
      const heartbeat = setInterval(() => send(": keep-alive\n\n"), HEARTBEAT_MS);
      heartbeat.unref();
      stop = () => {
        if (!isOpen) return;
        isOpen = false;
        clearInterval(heartbeat);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // Already closed by the reader.
        }
      };
      signal.addEventListener("abort", stop, { once: true });
      // Reconnect after 5 s if the stream drops (EventSource's own retry).
      send("retry: 5000\n\n");
      await sendCount();
    },
    cancel: () => stop(),
  });
}
