"use client";

import { useEffect, useState } from "react";
import type { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { closeReason, type CloseReason } from "./close-reasons";
import { openRoomProvider, type AdmissionWait } from "./room-provider";

/** The state of a room connection. */
export type RoomState = {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** The provider has the server's state. */
  isSynced: boolean;
  /** The socket is open. */
  isConnected: boolean;
  /**
   * Why the server last closed or refused the connection (null when it did
   * not, or after reconnecting). A refusal for load counts down to its retry.
   */
  closed: CloseReason | null;
  /** Seconds until the next attempt after a refusal for load; null when not waiting. */
  retryInSeconds: number | null;
};

/** What the reader is told while a refused connection waits to retry. */
export function refusalReason(wait: AdmissionWait, now = Date.now()): CloseReason {
  const seconds = Math.max(0, Math.ceil((wait.retryAt - now) / 1000));
  const what = wait.status === 503 ? "The server is busy" : "Too many connections";
  return {
    message: `${what}; retrying in ${seconds} s`,
    isFinal: false,
    shouldRefresh: false,
    offersSignIn: false,
  };
}

/**
 * Opens a room for the lifetime of the component. `clientId` lets rooms of
 * one page share a Yjs client id (presence in the seminar room then refers
 * to carets in the text room; docs/adr/0006). `isReceiveOnly` for a room only the
 * server writes: the doc's local changes are not sent (see `openRoomProvider`).
 */
export function useRoom(
  room: string,
  options: { clientId?: number; isReceiveOnly?: boolean } = {},
): RoomState | null {
  const [state, setState] = useState<RoomState | null>(null);
  const { clientId, isReceiveOnly } = options;

  useEffect(() => {
    const doc = new Y.Doc();
    if (clientId !== undefined) doc.clientID = clientId;
    let countdown: ReturnType<typeof setInterval> | null = null;
    const stopCountdown = () => {
      if (countdown) clearInterval(countdown);
      countdown = null;
    };
    const onWait = (wait: AdmissionWait | null) => {
      stopCountdown();
      if (!wait) return update({ retryInSeconds: null, closed: null });
      const tick = () => {
        const closed = refusalReason(wait);
        update({ closed, retryInSeconds: Math.max(0, Math.ceil((wait.retryAt - Date.now()) / 1000)) });
      };
      tick();
      countdown = setInterval(tick, 1000);
    };
    const connection = openRoomProvider(room, doc, { onWait, isReceiveOnly });
    const { provider } = connection;
    let current: RoomState = {
      doc,
      provider,
      isSynced: false,
      isConnected: false,
      closed: null,
      retryInSeconds: null,
    };
    function update(patch: Partial<RoomState>) {
      current = { ...current, ...patch };
      setState(current);
    }
    update({});
    provider.on("sync", (isSynced: boolean) => update({ isSynced, ...(isSynced ? { closed: null } : {}) }));
    provider.on("status", ({ status }: { status: string }) =>
      update({ isConnected: status === "connected" }),
    );
    provider.on("connection-close", (event: CloseEvent | null) => {
      // A socket refused before opening closes with 1006: no reason of its own; onWait may give one.
      if (!event) return;
      const isWaiting = current.retryInSeconds !== null;
      update({ closed: closeReason(event.code) ?? (isWaiting ? current.closed : null), isSynced: false });
    });
    return () => {
      stopCountdown();
      connection.destroy();
      doc.destroy();
    };
  }, [room, clientId, isReceiveOnly]);

  return state;
}
