/**
 * A y-websocket provider for one of our rooms, on this page's own origin
 * (the browser sends the session cookie and Origin itself).
 */
import { WebsocketProvider } from "y-websocket";
import type * as Y from "yjs";

/** The collab endpoint of the current page's origin. */
export function collabUrl(): string {
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${window.location.host}/collab`;
}

/** Opens `room` for `doc`. BroadcastChannel sync is off: every change goes through the server's checks. */
export function openRoomProvider(room: string, doc: Y.Doc): WebsocketProvider {
  return new WebsocketProvider(collabUrl(), room, doc, { disableBc: true, maxBackoffTime: 5000 });
}
