/**
 * The collab tests' protocol kit: the y-websocket wire format, written and
 * read with y-protocols' and lib0's encoders (not the server's), raw sockets
 * that must be accepted, and a room's state as stored in Postgres.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { applyStoredRoom, loadRoom } from "../../lib/server/realtime/update-log";
import { openRaw, type RawSocket } from "../helpers/collab";

/** First varUint of a message. */
export const MESSAGE = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const;

/** Second varUint of a sync message. */
export const SYNC = {
  step1: syncProtocol.messageYjsSyncStep1,
  step2: syncProtocol.messageYjsSyncStep2,
  update: syncProtocol.messageYjsUpdate,
} as const;

/** `[sync, step1, stateVector]`; an empty state vector asks for everything. */
export function syncStep1(stateVector: Uint8Array = Y.encodeStateVector(new Y.Doc())): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE.sync);
  encoding.writeVarUint(encoder, SYNC.step1);
  encoding.writeVarUint8Array(encoder, stateVector);
  return encoding.toUint8Array(encoder);
}

/** `[sync, step2, update]`: what a client answers to the server's step 1. */
export function syncStep2(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE.sync);
  encoding.writeVarUint(encoder, SYNC.step2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** `[sync, update, update]`. */
export function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE.sync);
  encoding.writeVarUint(encoder, SYNC.update);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** One entry of an awareness update, as a client would send it. */
export type AwarenessState = { clientId: number; clock: number; state: Record<string, unknown> | null };

/** `[awareness, update]` announcing `entries`. */
export function awarenessMessage(entries: AwarenessState[]): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(inner, entry.clientId);
    encoding.writeVarUint(inner, entry.clock);
    encoding.writeVarString(inner, JSON.stringify(entry.state));
  }
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE.awareness);
  encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner));
  return encoding.toUint8Array(encoder);
}

/** `[queryAwareness]`. */
export function queryAwarenessMessage(): Uint8Array {
  return new Uint8Array([MESSAGE.queryAwareness]);
}

/** A frame the server sent, decoded one level. */
export type DecodedFrame =
  | { type: "sync-step1"; stateVector: Uint8Array }
  | { type: "sync-step2" | "sync-update"; update: Uint8Array }
  | { type: "awareness"; states: AwarenessState[] }
  | { type: "other"; messageType: number };

/** Decodes a frame the server sent. */
export function decodeFrame(frame: Uint8Array): DecodedFrame {
  const decoder = decoding.createDecoder(frame);
  const messageType = decoding.readVarUint(decoder);
  if (messageType === MESSAGE.sync) {
    const syncType = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (syncType === SYNC.step1) return { type: "sync-step1", stateVector: payload };
    return { type: syncType === SYNC.step2 ? "sync-step2" : "sync-update", update: payload };
  }
  if (messageType === MESSAGE.awareness) {
    const inner = decoding.createDecoder(decoding.readVarUint8Array(decoder));
    const states: AwarenessState[] = [];
    const count = decoding.readVarUint(inner);
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(inner);
      const clock = decoding.readVarUint(inner);
      const state = JSON.parse(decoding.readVarString(inner)) as Record<string, unknown> | null;
      states.push({ clientId, clock, state });
    }
    return { type: "awareness", states };
  }
  return { type: "other", messageType };
}

/** True when `needle`'s bytes occur anywhere in `frame`. */
export function containsBytes(frame: Uint8Array, needle: string): boolean {
  return Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).includes(Buffer.from(needle));
}

/** Opens a raw socket that the server must accept (throws with the refusal otherwise). */
export async function openSocket(
  harness: { url: string; origin: string },
  room: string,
  cookie: string,
): Promise<RawSocket> {
  const result = await openRaw(harness, room, { cookie });
  if (!("socket" in result)) throw new Error(`${room} was refused: ${result.status} ${result.body}`);
  return result.socket;
}

/** The frames a raw socket received, decoded. */
export function decodedFrames(socket: RawSocket): DecodedFrame[] {
  return socket.frames.map(decodeFrame);
}

/** A Y.Doc holding exactly what Postgres stores for `room` (snapshot and log rows). */
export async function storedDoc(room: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  applyStoredRoom(doc, await loadRoom(room));
  return doc;
}

/** The code the server closed `socket` with, or "still open" if it did not within `timeoutMs`. */
export async function closeCode(socket: RawSocket, timeoutMs = 5000): Promise<number | "still open"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"still open">((resolve) => {
    timer = setTimeout(() => resolve("still open"), timeoutMs);
  });
  try {
    return await Promise.race([socket.closed.then((event) => event.code), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A well-formed caret (`cursor` field) that carries `marker`, for tests that follow one
 * presence through the server: the server passes on only a `cursor` of the shape readers'
 * pages render (lib/shared/awareness-shape.ts), so a marker rides in the positions' root
 * type name, which no reader's text has (a caret there resolves to nothing and is not drawn).
 */
export function caret(marker: string | number) {
  const position = { tname: `marker:${marker}`, assoc: 0 };
  return { anchor: position, head: position };
}

/** The marker of a caret made by `caret` (undefined for any other state). */
export function caretMarker(state: Record<string, unknown> | null | undefined): string | undefined {
  const tname = (state?.cursor as { anchor?: { tname?: unknown } } | null | undefined)?.anchor?.tname;
  return typeof tname === "string" && tname.startsWith("marker:") ? tname.slice("marker:".length) : undefined;
}
