/** The y-websocket wire protocol: message types and encoders. */
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { sliceUpdate } from "@/lib/shared/yjs/slice-update";

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

/**
 * What a client whose state vector is `stateVector` lacks of `doc`, as the messages of a sync
 * reply: one `[Sync, Step2, diff]`, or, when the diff is larger than `sliceBytes` (and
 * `sliceBytes` is not 0), its slices (lib/shared/yjs/slice-update.ts) as `[Sync, Update, slice]`
 * and the last as `[Sync, Step2, slice]`. A y-websocket client applies each message in a task of
 * its own and says it has synced at the step 2, once it has everything (docs/adr/0036).
 */
export function encodeSyncReply(doc: Y.Doc, stateVector: Uint8Array, sliceBytes: number): Uint8Array[] {
  const diff = Y.encodeStateAsUpdate(doc, stateVector);
  const slices = sliceBytes > 0 ? sliceUpdate(diff, sliceBytes) : [diff];
  return slices.map((slice, index) => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.Sync);
    encoding.writeVarUint(encoder, index === slices.length - 1 ? SyncType.Step2 : SyncType.Update);
    encoding.writeVarUint8Array(encoder, slice);
    return encoding.toUint8Array(encoder);
  });
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
