import type { Awareness } from "y-protocols/awareness";

/** Someone present in a room, as the server wrote their identity. */
export type Present = { id: string; name: string; color: string; role: string | null; isMe: boolean };

/** Everyone present, one entry per user (a user may have several tabs), me first. */
export function presentUsers(awareness: Awareness, myUserId: string): Present[] {
  const byUser = new Map<string, Present>();
  for (const state of awareness.getStates().values()) {
    const user = (state as { user?: { id?: unknown; name?: unknown; color?: unknown; role?: unknown } }).user;
    if (!user || typeof user.id !== "string" || typeof user.name !== "string") continue;
    byUser.set(user.id, {
      id: user.id,
      name: user.name,
      color: typeof user.color === "string" ? user.color : "#6f685d",
      role: typeof user.role === "string" ? user.role : null,
      isMe: user.id === myUserId,
    });
  }
  return [...byUser.values()].sort((a, b) => Number(b.isMe) - Number(a.isMe) || a.name.localeCompare(b.name));
}

/**
 * Keeps a reader's presence, and their view of everyone else's, whole across a reconnect.
 *
 * Awareness states carry a clock, and y-protocols takes a state only when its clock is newer
 * than the one it last saw for that client; removing a client's state keeps that clock. So when
 * a socket drops, the server (and through it every other reader) removes this reader at clock
 * c, and y-websocket re-sends the unchanged state at clock c on reconnect: it is ignored, and
 * the reader stays invisible until the state next changes or is renewed (every 15 s). The same
 * holds the other way: y-websocket removes everyone else here on disconnect, keeping their
 * clocks, and the server's snapshot of them after the reconnect is ignored.
 *
 * So, on each new connection, the local state is set again (one tick newer, before y-websocket
 * sends it), and on each disconnect the clocks of the readers just removed are forgotten.
 * Returns the function that stops this.
 */
export function keepPresenceAcrossReconnects(provider: {
  awareness: Awareness;
  on(event: "status", listener: (event: { status: string }) => void): void;
  off(event: "status", listener: (event: { status: string }) => void): void;
}): () => void {
  const { awareness } = provider;
  const onStatus = ({ status }: { status: string }) => {
    if (status === "connecting") {
      const state = awareness.getLocalState();
      if (state !== null) awareness.setLocalState(state);
    } else if (status === "disconnected") {
      for (const clientId of [...awareness.meta.keys()]) {
        if (clientId !== awareness.clientID && !awareness.states.has(clientId))
          awareness.meta.delete(clientId);
      }
    }
  };
  provider.on("status", onStatus);
  return () => provider.off("status", onStatus);
}
