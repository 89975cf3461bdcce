/** A room map's thread entries as readers check them: text parsed (docs/adr/0032), by key. */
import type * as Y from "yjs";
import { decodeRoomEntry } from "../../lib/shared/annotations/room-entries";

/** Every entry of `map` decoded, by key. */
export function decodedEntries<T = Record<string, unknown>>(map: Y.Map<unknown>): Record<string, T> {
  const entries: Record<string, T> = {};
  for (const [key, value] of map.entries()) entries[key] = decodeRoomEntry(value) as T;
  return entries;
}
