/** The y-websocket wire protocol: message types and encoders. */
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import type * as Y from "yjs";

/** First varUint of every message. */
export const MessageType = { Sync: 0, Awareness: 1, Auth: 2, QueryAwareness: 3 } as const;

/** Second varUint of a sync message. */
export const SyncType = {
  Step1: syncProtocol.messageYjsSyncStep1,
  Step2: syncProtocol.messageYjsSyncStep2,
  Update: syncProtocol.messageYjsUpdate,
} as const;

/** `[Sync, Step1, stateVector]` for `doc`. */
export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

/** `[Sync, Step2, update]`: the end of a sync reply. */
export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, SyncType.Step2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/**
 * A sync reply of `slices` (one update, or a large one's slices, lib/shared/yjs/slice-update.ts):
 * `[Sync, Update, slice]` for each but the last, `[Sync, Step2, slice]` for the last. A
 * y-websocket client applies each message in a task of its own and says it has synced at the
 * step 2, once it has everything (docs/adr/0036).
 */
export function encodeSyncReply(slices: readonly Uint8Array[]): Uint8Array[] {
  return slices.map((slice, index) => (index === slices.length - 1 ? encodeSyncStep2 : encodeUpdate)(slice));
}

/** `[Sync, Update, update]`. */
export function encodeUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

/**
 * An awareness message that changes nothing (an update of no clients): what the keep-alive
 * sends a connection that has heard nothing for a while. y-websocket closes and reopens a
 * socket that has received no message for 30 s, pings not counted, and a reader of a text
 * room, whose text no one edits and whose presence is not relayed there, hears nothing else.
 */
export const KEEP_ALIVE = Uint8Array.of(MessageType.Awareness, 1, 0);

/** `[Awareness, update]`. */
export function encodeAwareness(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Awareness);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}
