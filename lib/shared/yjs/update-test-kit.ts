/**
 * Hand-made Yjs updates for tests and the fuzzer: one item whose content is
 * given as raw bytes, so values far deeper than lib0's recursive encoder can
 * write (100,000 levels) can still be sent, stored and inspected.
 */
import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import { inspectUpdate, type ValueContentKind } from "./inspect-update";

/** lib0 any-encoding of `depth` arrays (or objects under key "a") nested inside one another. */
export function deepAnyBytes(depth: number, shape: "array" | "object" = "array"): Uint8Array {
  const encoder = encoding.createEncoder();
  for (let level = 0; level < depth; level++) {
    const isLast = level === depth - 1;
    if (shape === "array") {
      encoding.writeUint8(encoder, 117);
      encoding.writeVarUint(encoder, isLast ? 0 : 1);
    } else {
      encoding.writeUint8(encoder, 118);
      encoding.writeVarUint(encoder, isLast ? 0 : 1);
      if (!isLast) encoding.writeVarString(encoder, "a");
    }
  }
  if (depth === 0) encoding.writeUint8(encoder, 126); // null
  return encoding.toUint8Array(encoder);
}

/** JSON text nesting `depth` arrays (`[[…]]`). */
export function deepJson(depth: number): string {
  return "[".repeat(depth) + "]".repeat(depth);
}

/** One item of a hand-made update. */
export type RawItem = {
  /** Its content kind. */
  kind: ValueContentKind;
  /**
   * The value: any-encoded bytes for "any" and "doc" (the options), JSON text
   * for "json", "embed" and "format".
   */
  value: Uint8Array | string;
  /** The root type it goes in (a map entry when `key` is set). */
  root: string;
  /** Map key; required for "doc" and "any" in maps, ignored for "format" (whose key is `formatKey`). */
  key?: string;
  /** The attribute name of a "format" item. */
  formatKey?: string;
};

/** A v1 update of one client holding `items`, in order, from `clock`. */
export function rawItemsUpdate(client: number, items: RawItem[], clock = 0): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1); // one client
  encoding.writeVarUint(encoder, items.length);
  encoding.writeVarUint(encoder, client);
  encoding.writeVarUint(encoder, clock);
  for (const item of items) {
    const ref = { json: 2, embed: 5, format: 6, any: 8, doc: 9 }[item.kind];
    // No origins; the parent is a root type's name; BIT6 when it is a map entry.
    encoding.writeUint8(encoder, ref | (item.key !== undefined ? 0x20 : 0));
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarString(encoder, item.root);
    if (item.key !== undefined) encoding.writeVarString(encoder, item.key);
    const text = typeof item.value === "string" ? item.value : "";
    const bytes = typeof item.value === "string" ? new Uint8Array() : item.value;
    switch (item.kind) {
      case "any":
        encoding.writeVarUint(encoder, 1);
        encoding.writeUint8Array(encoder, bytes);
        break;
      case "json":
        encoding.writeVarUint(encoder, 1);
        encoding.writeVarString(encoder, text);
        break;
      case "embed":
        encoding.writeVarString(encoder, text);
        break;
      case "format":
        encoding.writeVarString(encoder, item.formatKey ?? "bold");
        encoding.writeVarString(encoder, text);
        break;
      case "doc":
        encoding.writeVarString(encoder, `subdoc-${client}`);
        encoding.writeUint8Array(encoder, bytes);
        break;
    }
  }
  encoding.writeVarUint(encoder, 0); // empty delete set
  return encoding.toUint8Array(encoder);
}

/** A one-item update whose value nests `depth` levels, for each content kind. */
export function deepValueUpdate(kind: ValueContentKind, depth: number, client = 7_777): Uint8Array {
  const isAnyEncoded = kind === "any" || kind === "doc";
  return rawItemsUpdate(client, [
    {
      kind,
      value: isAnyEncoded ? deepAnyBytes(depth, kind === "doc" ? "object" : "array") : deepJson(depth),
      root: kind === "format" || kind === "embed" ? "poison-text" : "poison",
      key: kind === "doc" || kind === "any" ? "value" : undefined,
    },
  ]);
}

/**
 * One update holding the structs of both (their clients must differ) and the
 * delete set of `first`, spliced byte by byte: Yjs's own merge decodes, and
 * so overflows on a deep value.
 */
export function spliceUpdates(first: Uint8Array, second: Uint8Array): Uint8Array {
  const parts = [first, second].map((update) => {
    const inspection = inspectUpdate(update, {
      maxValueDepth: Number.MAX_SAFE_INTEGER,
      maxValueBytes: Infinity,
    });
    if (!inspection.isReadable) throw new Error(`cannot splice an unreadable update: ${inspection.detail}`);
    let countEnd = 0;
    while ((update[countEnd] as number) >= 0x80) countEnd++;
    const clients = readVarUint(update);
    return {
      clients,
      structs: update.subarray(countEnd + 1, inspection.deleteSetOffset),
      rest: update.subarray(inspection.deleteSetOffset),
    };
  });
  const [a, b] = parts as [(typeof parts)[number], (typeof parts)[number]];
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, a.clients + b.clients);
  encoding.writeUint8Array(encoder, a.structs);
  encoding.writeUint8Array(encoder, b.structs);
  encoding.writeUint8Array(encoder, a.rest);
  return encoding.toUint8Array(encoder);
}

function readVarUint(bytes: Uint8Array): number {
  let value = 0;
  let multiplier = 1;
  for (const byte of bytes) {
    value += (byte & 0x7f) * multiplier;
    if (byte < 0x80) break;
    multiplier *= 128;
  }
  return value;
}

/**
 * An edit whose item's origin is in the room and whose right origin is not: the room (client 1)
 * holds "hello" in the text `root`; a stranger (client 77) wrote "0123" after it, which the room
 * never got; a third client (88), synced with the stranger, types "X" between the two. Applied to
 * the room as it is, Yjs keeps the edit pending for good. `strangerText` is the stranger's
 * update, which gives the room what the edit refers to.
 */
export function editBeforeUnknownText(root: string): {
  room: Y.Doc;
  update: Uint8Array;
  strangerText: Uint8Array;
} {
  const room = new Y.Doc();
  room.clientID = 1;
  room.getText(root).insert(0, "hello");
  const stranger = new Y.Doc();
  stranger.clientID = 77;
  Y.applyUpdate(stranger, Y.encodeStateAsUpdate(room));
  stranger.getText(root).insert(5, "0123");
  const typist = new Y.Doc();
  typist.clientID = 88;
  Y.applyUpdate(typist, Y.encodeStateAsUpdate(stranger));
  const before = Y.encodeStateVector(typist);
  typist.getText(root).insert(5, "X");
  const update = Y.encodeStateAsUpdate(typist, before);
  const strangerText = Y.encodeStateAsUpdate(stranger, Y.encodeStateVector(room));
  stranger.destroy();
  typist.destroy();
  return { room, update, strangerText };
}
