/**
 * The y-websocket provider for our rooms, on this page's own origin
 * (the browser sends the session cookie and Origin itself).
 *
 * A socket refused before it opened is not retried by y-websocket's own
 * loop (which would try every few seconds however often it is refused): the
 * provider asks the server's admission verdict and, when refused for load,
 * waits out Retry-After, doubling the wait on each further refusal (issue 9
 * §2: a refusal must not turn into a tight reconnect loop).
 */
import { WebsocketProvider } from "y-websocket";
import type * as Y from "yjs";
import { askAdmission } from "./admission";
import { keepPresenceAcrossReconnects } from "./presence";

/** y-websocket's longest wait between ordinary reconnects. */
const MAX_BACKOFF_MS = 5000;
/** The longest wait after repeated refusals. */
const MAX_REFUSED_BACKOFF_MS = 60_000;

/** The collab endpoint of the current page's origin. */
export function collabUrl(): string {
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${window.location.host}/collab`;
}

/**
 * Stops `provider` sending its doc's local changes (for a room only the server writes): it
 * detaches y-websocket's `update` listener, and a doc with no `update` listener is not encoded
 * by Yjs after every change it applies. The sync handshake is unaffected.
 */
export function stopSendingLocalUpdates(provider: WebsocketProvider): void {
  provider.doc.off("update", provider._updateHandler);
}

/** A connection refused for load, waiting to retry. */
export type AdmissionWait = {
  /** 429: too many connections (this user's, this address's, or attempts); 503: the server is full. */
  status: 429 | 503;
  /** When the next attempt starts (ms since epoch). */
  retryAt: number;
};

/** An open room: the provider, and the one place that ends it. */
export type RoomConnection = {
  provider: WebsocketProvider;
  /** Stops retrying and destroys the provider. */
  destroy(): void;
};

/**
 * Opens `room` for `doc`. BroadcastChannel sync is off: every change goes
 * through the server's checks. `onWait` hears of a refusal for load (and
 * null when the retry starts).
 */
export function openRoomProvider(
  room: string,
  doc: Y.Doc,
  options: {
    onWait?: (wait: AdmissionWait | null) => void;
    /**
     * The room is written by the server alone (a seminar room, a view room: no client may
     * write them, and the server drops what one sends): local changes are not sent. So the
     * doc has no `update` listener of y-websocket's, and Yjs does not encode every update it
     * applies for one (at 10,000 threads the first sync's ~10 MB, ~110–140 ms on the page).
     */
    isReceiveOnly?: boolean;
  } = {},
): RoomConnection {
  let hasOpened = false;
  let isDestroyed = false;
  let refusals = 0;
  let retry: ReturnType<typeof setTimeout> | null = null;

  const reconnectAfter = (delayMs: number) => {
    retry = setTimeout(() => {
      retry = null;
      options.onWait?.(null);
      provider.connect();
    }, delayMs);
  };

  /** The socket failed before opening: refused for load, or something else? */
  const recheck = async () => {
    const verdict = await askAdmission();
    if (isDestroyed) return;
    if (verdict && !verdict.isAdmitted) {
      refusals++;
      const backoff = Math.min(1000 * 2 ** (refusals - 1), MAX_REFUSED_BACKOFF_MS);
      // Jitter, so the tabs a restart refused together do not come back together.
      const delayMs = Math.max(verdict.retryAfterMs, backoff) * (1 + Math.random() * 0.2);
      options.onWait?.({ status: verdict.status, retryAt: Date.now() + delayMs });
      reconnectAfter(delayMs);
      return;
    }
    // Admitted now, or no verdict (offline, or refused for another reason): y-websocket's own back-off.
    reconnectAfter(Math.min(100 * 2 ** provider.wsUnsuccessfulReconnects, MAX_BACKOFF_MS));
  };

  const provider = new WebsocketProvider(collabUrl(), room, doc, {
    disableBc: true,
    maxBackoffTime: MAX_BACKOFF_MS,
    shouldReconnect: (event) => {
      if (!hasOpened) {
        // Stop y-websocket's loop; recheck() reconnects when it is time.
        void recheck();
        return false;
      }
      // As y-websocket's default: 4400–4499 are final.
      return !(event.code >= 4400 && event.code < 4500);
    },
  });
  if (options.isReceiveOnly) stopSendingLocalUpdates(provider);
  const stopKeepingPresence = keepPresenceAcrossReconnects(provider);
  provider.on("status", ({ status }) => {
    if (status === "connecting") hasOpened = false;
    if (status === "connected") {
      hasOpened = true;
      refusals = 0;
    }
  });

  return {
    provider,
    destroy() {
      isDestroyed = true;
      if (retry) clearTimeout(retry);
      stopKeepingPresence();
      provider.destroy();
    },
  };
}
