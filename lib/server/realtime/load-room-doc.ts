import * as Y from "yjs";
import { applyStoredRoom, loadRoom } from "../realtime/update-log";

/** A room's current state as a Y.Doc (the caller destroys it). */
export async function loadRoomDoc(room: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  applyStoredRoom(doc, await loadRoom(room));
  return doc;
}
