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
