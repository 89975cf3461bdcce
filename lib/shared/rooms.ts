/**
 * Room names and root-type names (docs/architecture.md §2), built and parsed here and
 * nowhere else. One Yjs document per write authority:
 *
 *   text:<documentId>                  the text; instructors who may edit it write
 *   seminar:<seminarId>:<documentId>   a seminar's shared annotations; the server writes
 *   notes:<documentId>:<userId>        one user's private notes; that user writes
 *   view:<seminarId>:<documentId>:<userId>
 *                                      what one student may see of a seminar's discussion
 *                                      before posting first (docs/adr/0019); the server writes
 */

/** A parsed room name. */
export type Room =
  | { kind: "text"; documentId: string }
  | { kind: "seminar"; seminarId: string; documentId: string }
  | { kind: "notes"; documentId: string; userId: string }
  | { kind: "view"; seminarId: string; documentId: string; userId: string };

/** Ids are cuids: lowercase letters and digits. */
const ID = /^[a-z0-9]{8,40}$/;

/** Longest room name accepted, so a hostile URL cannot make us parse megabytes. */
export const MAX_ROOM_NAME_LENGTH = 128;

/** The room's name, e.g. `seminar:<seminarId>:<documentId>`. */
export function roomName(room: Room): string {
  switch (room.kind) {
    case "text":
      return `text:${room.documentId}`;
    case "seminar":
      return `seminar:${room.seminarId}:${room.documentId}`;
    case "notes":
      return `notes:${room.documentId}:${room.userId}`;
    case "view":
      return `view:${room.seminarId}:${room.documentId}:${room.userId}`;
  }
}

/** Parses a room name; null when it is not one. */
export function parseRoomName(name: string): Room | null {
  if (name.length > MAX_ROOM_NAME_LENGTH) return null;
  const parts = name.split(":");
  if (!parts.slice(1).every((part) => ID.test(part))) return null;
  const [kind, a, b] = parts;
  if (kind === "text" && parts.length === 2) return { kind, documentId: a as string };
  if (kind === "seminar" && parts.length === 3)
    return { kind, seminarId: a as string, documentId: b as string };
  if (kind === "notes" && parts.length === 3) return { kind, documentId: a as string, userId: b as string };
  if (kind === "view" && parts.length === 4)
    return { kind, seminarId: a as string, documentId: b as string, userId: parts[3] as string };
  return null;
}

/** Names of the shared types at the root of each room's Y.Doc. */
export const ROOT_TYPES = {
  /** The text (`Y.XmlFragment`), as Tiptap's Collaboration extension binds it. */
  text: "text",
  /** Seminar and notes rooms: annotation id → annotation (`Y.Map`). */
  annotations: "annotations",
  /** Seminar rooms: comment id → comment (`Y.Map`). */
  comments: "comments",
  /** Seminar rooms: the seminar's highlight categories (`Y.Map`). */
  categories: "categories",
  /** View rooms: the post-first gate (`Y.Map`: required, posted, hiddenCount, isLocked). */
  gate: "gate",
} as const;
