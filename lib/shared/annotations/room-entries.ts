/**
 * How the seminar and view rooms hold a thread's entries (docs/adr/0032): each
 * annotation and comment is one string, its JSON text, rather than a Yjs map value
 * spelled out key by key. A reader joining a room of 10,000 threads then decodes
 * 17,500 strings and parses them with `JSON.parse`, instead of ~700,000 small keys
 * and values one by one (most of its first sync's time).
 *
 * Rooms written before this hold entries as objects; they read as before, and each
 * entry becomes text the next time its thread is written.
 */
import type { ProjectedAnnotation, ProjectedComment } from "./types";

/** A room entry as the room stores it. */
export function encodeRoomEntry(entry: ProjectedAnnotation | ProjectedComment): string {
  return JSON.stringify(entry);
}

/**
 * A room entry as a value to check (`threads.ts` checks every entry): text is parsed,
 * an entry from an older room (an object) is returned as it is. Text that is not JSON
 * gives `undefined`, which no check accepts.
 */
export function decodeRoomEntry(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}
