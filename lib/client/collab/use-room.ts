"use client";

import { useEffect, useState } from "react";
import type { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { closeReason, type CloseReason } from "./close-reasons";
import { openRoomProvider } from "./room-provider";

/** The state of a room connection. */
export type RoomState = {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** The provider has the server's state. */
  isSynced: boolean;
  /** The socket is open. */
  isConnected: boolean;
  /** Why the server last closed the connection (null when it did not, or after reconnecting). */
  closed: CloseReason | null;
};

/**
 * Opens a room for the lifetime of the component. `clientId` lets rooms of
 * one page share a Yjs client id (presence in the seminar room then refers
 * to carets in the text room; docs/adr/0006).
 */
export function useRoom(room: string, options: { clientId?: number } = {}): RoomState | null {
  const [state, setState] = useState<RoomState | null>(null);
  const { clientId } = options;

  useEffect(() => {
    const doc = new Y.Doc();
    if (clientId !== undefined) doc.clientID = clientId;
    const provider = openRoomProvider(room, doc);
    let current: RoomState = { doc, provider, isSynced: false, isConnected: false, closed: null };
    const update = (patch: Partial<RoomState>) => {
      current = { ...current, ...patch };
      setState(current);
    };
    update({});
    provider.on("sync", (isSynced: boolean) => update({ isSynced, ...(isSynced ? { closed: null } : {}) }));
    provider.on("status", ({ status }: { status: string }) =>
      update({ isConnected: status === "connected" }),
    );
    provider.on("connection-close", (event: CloseEvent | null) => {
      if (event) update({ closed: closeReason(event.code), isSynced: false });
    });
    return () => {
      provider.destroy();
      doc.destroy();
    };
  }, [room, clientId]);

  return state;
}
