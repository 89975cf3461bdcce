/**
 * Walks the bytes of a Yjs update (v1 encoding, what y-websocket sends and
 * what `Y.encodeStateAsUpdate` stores) without decoding it into objects and
 * without recursion, and reports every embedded value that nests or weighs
 * more than a reader can safely decode (issue 9 §1).
 *
 * Why: lib0's `readAny` (ContentAny, ContentDoc options) and JSON handling
 * (ContentJSON, ContentEmbed, ContentFormat) recurse once per level. One value
 * nested 5,000 levels deep was accepted and committed; from then on every
 * client threw `Maximum call stack size exceeded` on sync, and so did the
 * server on its next load. A browser's stack is far smaller than Node's, so
 * "Yjs decoded it here" proves nothing: the limits below are what we allow.
 *
 * The layout follows yjs 13.6 (`src/utils/encoding.js` readClientsStructRefs,
 * `src/structs/Item.js` readItemContent and the `read*` of each content,
 * `src/utils/DeleteSet.js` readDeleteSet) and lib0 0.2 (`decoding.js`
 * readVarUint, readVarString, readAny).
 */
import { concatBytes } from "./concat-bytes";

/** Limits on embedded values. */
export type ValueLimits = {
  /** Deepest nesting of arrays and objects inside one embedded value (`[]` is 1). */
  maxValueDepth: number;
  /** Largest encoded size of one embedded value, in bytes. */
  maxValueBytes: number;
};

/**
 * The defaults. The deepest comment body the comment sanitizer accepts
 * (six nested lists, then a paragraph, a linked text run and its mark) nests
 * 33 levels once the seminar room's projection stores it as a ContentAny
 * (measured by inspect-update.test.ts); 48 leaves room without letting a
 * value near the thousands of levels that overflow a browser's stack. Its
 * largest body (10,000 characters, 1,000 nodes) encodes well under 256 KiB.
 */
export const DEFAULT_VALUE_LIMITS: ValueLimits = { maxValueDepth: 48, maxValueBytes: 256 * 1024 };

/** The kinds of item content that carry embedded values (yjs content refs). */
export type ValueContentKind = "json" | "embed" | "format" | "any" | "doc";

/** One item whose embedded value breaks a limit or cannot be decoded. */
export type ValueOffence = {
  /** Why. */
  reason: "too-deep" | "too-large" | "invalid-json";
  /** Which content. */
  kind: ValueContentKind;
  /** The item's id: client. */
  client: number;
  /** The item's id: clock of its first element. */
  clock: number;
  /** The item's length (clock units). */
  length: number;
  /** Byte offset of the item's info byte in the update. */
  infoOffset: number;
  /** Byte range of the item's content (after the info, origins and parent). */
  contentStart: number;
  /** End (exclusive) of that range. */
  contentEnd: number;
  /** Human-readable detail, e.g. "nested 5000 levels deep (limit 48)". */
  detail: string;
};

/** What {@link inspectUpdate} found. */
export type UpdateInspection =
  | {
      /** The update's structure could be read to its end. */
      isReadable: true;
      /** Items whose values break the limits; empty when the update is fine. */
      offences: ValueOffence[];
      /** Structs read (items, GC and skip structs). */
      structs: number;
      /** Deepest nesting of any embedded value in the update (0 when it has none). */
      deepestValue: number;
      /** Byte offset where the delete set starts (after the last struct). */
      deleteSetOffset: number;
    }
  | {
      /** The update cannot be decoded at all: nothing in it can be kept. */
      isReadable: false;
      /** Why, with the byte offset. */
      detail: string;
    };

class Malformed extends Error {}

/** A struct's id, or the id of what it refers to. */
export type StructId = { client: number; clock: number };

/** Where one struct lies in an update, and the structs it needs to be there first. */
export type StructSpan = StructId & {
  /** Clock units it covers. */
  length: number;
  /** Byte offset of its info byte. */
  start: number;
  /** End (exclusive) of its bytes. */
  end: number;
  /** Its origin, right origin and parent item, those it has. */
  needs: StructId[];
};

const CONTENT_KINDS: Record<number, ValueContentKind> = {
  2: "json",
  5: "embed",
  6: "format",
  8: "any",
  9: "doc",
};

/** Fatal, like lib0's decoder: Yjs refuses a string that is not UTF-8. */
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A cursor over the update's bytes; every read checks bounds (lib0's readUint8 does not). */
class Reader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  byte(): number {
    if (this.pos >= this.bytes.length) throw new Malformed(`unexpected end at byte ${this.pos}`);
    return this.bytes[this.pos++] as number;
  }

  /** lib0 readVarUint: 7 bits a byte, at most 2^53. */
  varUint(): number {
    let value = 0;
    let multiplier = 1;
    for (;;) {
      const byte = this.byte();
      value += (byte & 0x7f) * multiplier;
      if (byte < 0x80) return value;
      multiplier *= 128;
      if (value > Number.MAX_SAFE_INTEGER) throw new Malformed(`integer out of range at byte ${this.pos}`);
    }
  }

  /** lib0 readVarInt (sign in bit 7 of the first byte). */
  varInt(): void {
    let byte = this.byte();
    let multiplier = 64;
    let value = byte & 0x3f;
    while (byte >= 0x80) {
      byte = this.byte();
      value += (byte & 0x7f) * multiplier;
      multiplier *= 128;
      if (value > Number.MAX_SAFE_INTEGER) throw new Malformed(`integer out of range at byte ${this.pos}`);
    }
  }

  skip(count: number) {
    if (count > this.bytes.length - this.pos) throw new Malformed(`length ${count} runs past the end`);
    this.pos += count;
  }

  /** An id: client, clock. */
  id(): StructId {
    const client = this.varUint();
    return { client, clock: this.varUint() };
  }

  /** An id, not kept. */
  skipId() {
    this.varUint();
    this.varUint();
  }

  /** A length-prefixed byte array; returns its range. */
  span(): [number, number] {
    const length = this.varUint();
    const start = this.pos;
    this.skip(length);
    return [start, this.pos];
  }

  /** A length-prefixed UTF-8 string, checked as Yjs would; returns its range and its UTF-16 length. */
  string(): [number, number, number] {
    const [start, end] = this.span();
    try {
      return [start, end, utf8.decode(this.bytes.subarray(start, end)).length];
    } catch {
      throw new Malformed(`invalid UTF-8 at byte ${start}`);
    }
  }
}

/**
 * Skips one lib0 `writeAny` value, iteratively; returns the deepest nesting
 * met. Nesting is followed to the end even past the limit, so that the rest of
 * the update can still be read (and the item replaced, not the whole update
 * lost, when stored data is repaired).
 */
function skipAny(reader: Reader): number {
  // remaining[i]: entries still to read at level i; isObject[i]: entries are key + value.
  const remaining: number[] = [];
  const isObject: boolean[] = [];
  let deepest = 0;
  for (;;) {
    const type = reader.byte();
    switch (type) {
      case 127: // undefined
      case 126: // null
      case 121: // false
      case 120: // true
        break;
      case 125:
        reader.varInt();
        break;
      case 124:
        reader.skip(4);
        break;
      case 123:
      case 122:
        reader.skip(8);
        break;
      case 119:
        reader.string();
        break;
      case 116:
        reader.span();
        break;
      case 118:
      case 117:
        remaining.push(reader.varUint());
        isObject.push(type === 118);
        deepest = Math.max(deepest, remaining.length);
        break;
      default:
        throw new Malformed(`unknown value type ${type} at byte ${reader.pos - 1}`);
    }
    // Close finished levels; then read the next entry's key (objects) or stop.
    for (;;) {
      const level = remaining.length - 1;
      if (level < 0) return deepest;
      if (remaining[level] === 0) {
        remaining.pop();
        isObject.pop();
        continue;
      }
      remaining[level] = (remaining[level] as number) - 1;
      if (isObject[level]) reader.string();
      break;
    }
  }
}

/** Deepest bracket nesting of JSON text, counting only brackets outside strings. */
function jsonDepth(bytes: Uint8Array, start: number, end: number): number {
  let depth = 0;
  let deepest = 0;
  let isInString = false;
  for (let i = start; i < end; i++) {
    const byte = bytes[i] as number;
    if (isInString) {
      if (byte === 0x5c)
        i++; // backslash: skip the escaped byte
      else if (byte === 0x22) isInString = false;
    } else if (byte === 0x22) isInString = true;
    else if (byte === 0x5b || byte === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (byte === 0x5d || byte === 0x7d) depth--;
  }
  return deepest;
}

/**
 * Reads every struct and the delete set of `update`; never throws, never
 * recurses. An update is safe to decode when it is readable and has no
 * offences.
 */
export function inspectUpdate(
  update: Uint8Array,
  limits: ValueLimits = DEFAULT_VALUE_LIMITS,
  /** Told of each struct once it is read, in the update's order (./slice-update.ts). */
  onStruct?: (struct: StructSpan) => void,
): UpdateInspection {
  const reader = new Reader(update);
  const offences: ValueOffence[] = [];
  let structs = 0;
  let deepestValue = 0;
  let deleteSetOffset = 0;

  /** Checks one embedded value that occupies [start, end) and nests `depth` levels. */
  const judge = (
    item: Omit<ValueOffence, "reason" | "detail" | "contentEnd">,
    start: number,
    end: number,
    depth: number,
    json: boolean,
  ): boolean => {
    deepestValue = Math.max(deepestValue, depth);
    let reason: ValueOffence["reason"] | null = null;
    let detail = "";
    if (depth > limits.maxValueDepth) {
      reason = "too-deep";
      detail = `${item.kind} value nested ${depth} levels deep (limit ${limits.maxValueDepth})`;
    } else if (end - start > limits.maxValueBytes) {
      reason = "too-large";
      detail = `${item.kind} value of ${end - start} bytes (limit ${limits.maxValueBytes})`;
    } else if (json) {
      // Within the limits, so JSON.parse cannot go deep; Yjs would throw on what it cannot parse.
      const text = utf8.decode(update.subarray(start, end));
      if (text !== "undefined" || item.kind !== "json") {
        try {
          JSON.parse(text);
        } catch {
          reason = "invalid-json";
          detail = `${item.kind} value is not JSON`;
        }
      }
    }
    if (reason) offences.push({ ...item, reason, detail, contentEnd: -1 });
    return reason !== null;
  };

  try {
    const clients = reader.varUint();
    for (let c = 0; c < clients; c++) {
      const count = reader.varUint();
      const client = reader.varUint();
      let clock = reader.varUint();
      for (let s = 0; s < count; s++) {
        structs++;
        const infoOffset = reader.pos;
        const info = reader.byte();
        const ref = info & 0x1f;
        if (ref === 0 || ref === 10) {
          // GC or Skip: a length only.
          const length = reader.varUint();
          onStruct?.({ client, clock, length, start: infoOffset, end: reader.pos, needs: [] });
          clock += length;
          continue;
        }
        // What the item refers to, kept only for a visitor (the guard reads every update).
        const needs: StructId[] | null = onStruct ? [] : null;
        const refer = () => (needs ? needs.push(reader.id()) : reader.skipId());
        if (info & 0x80) refer(); // origin
        if (info & 0x40) refer(); // right origin
        if ((info & 0xc0) === 0) {
          // Parent: a root type's name, or the id of the item holding the parent type.
          if (reader.varUint() === 1) reader.string();
          else refer();
          if (info & 0x20) reader.string(); // parentSub (a map key)
        }
        const contentStart = reader.pos;
        const kind = CONTENT_KINDS[ref];
        let length = 1;
        const firstOffence = offences.length;
        const item = () => ({
          kind: kind as ValueContentKind,
          client,
          clock,
          length,
          infoOffset,
          contentStart,
        });
        switch (ref) {
          case 1: // Deleted
            length = reader.varUint();
            break;
          case 3: // Binary
            reader.span();
            break;
          case 4: {
            // String
            length = reader.string()[2];
            break;
          }
          case 7: {
            // Type: YArray, YMap, YText, YXmlElement (name), YXmlFragment, YXmlHook (name), YXmlText.
            const typeRef = reader.varUint();
            if (typeRef > 6) throw new Malformed(`unknown type ref ${typeRef} at byte ${reader.pos}`);
            if (typeRef === 3 || typeRef === 5) reader.string();
            break;
          }
          case 2: {
            // JSON: strings of JSON text (or "undefined").
            length = reader.varUint();
            let isOffending = false;
            for (let i = 0; i < length; i++) {
              const [start, end] = reader.string();
              if (!isOffending) isOffending = judge(item(), start, end, jsonDepth(update, start, end), true);
            }
            break;
          }
          case 5: {
            // Embed: one JSON text.
            const [start, end] = reader.string();
            judge(item(), start, end, jsonDepth(update, start, end), true);
            break;
          }
          case 6: {
            // Format: key, then JSON text.
            reader.string();
            const [start, end] = reader.string();
            judge(item(), start, end, jsonDepth(update, start, end), true);
            break;
          }
          case 8: {
            // Any: values in lib0's any-encoding.
            length = reader.varUint();
            let isOffending = false;
            for (let i = 0; i < length; i++) {
              const start = reader.pos;
              const depth = skipAny(reader);
              if (!isOffending) isOffending = judge(item(), start, reader.pos, depth, false);
            }
            break;
          }
          case 9: {
            // Doc: guid, then options in the any-encoding.
            reader.string();
            const start = reader.pos;
            const depth = skipAny(reader);
            judge(item(), start, reader.pos, depth, false);
            break;
          }
          default:
            throw new Malformed(`unknown content ref ${ref} at byte ${infoOffset}`);
        }
        for (let i = firstOffence; i < offences.length; i++) {
          const offence = offences[i] as ValueOffence;
          offence.length = length;
          offence.contentEnd = reader.pos;
        }
        if (needs) onStruct?.({ client, clock, length, start: infoOffset, end: reader.pos, needs });
        clock += length;
      }
    }
    // Delete set: per client, ranges of clock and length.
    deleteSetOffset = reader.pos;
    const deleteClients = reader.varUint();
    for (let c = 0; c < deleteClients; c++) {
      reader.varUint();
      const ranges = reader.varUint();
      for (let r = 0; r < ranges; r++) {
        reader.varUint(); // clock
        reader.varUint(); // length
      }
    }
  } catch (error) {
    if (error instanceof Malformed) return { isReadable: false, detail: error.message };
    throw error;
  }
  return { isReadable: true, offences, structs, deepestValue, deleteSetOffset };
}

/**
 * A copy of `update` in which each offending item's content is replaced by a
 * deleted content of the same length: ids, origins, parents and lengths stay,
 * so whatever later updates build on it still integrates, and the value that
 * could not be decoded is gone.
 */
export function withoutOffendingValues(update: Uint8Array, offences: readonly ValueOffence[]): Uint8Array {
  const sorted = [...offences].sort((a, b) => a.infoOffset - b.infoOffset);
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const offence of sorted) {
    if (offence.infoOffset < at) continue;
    // Everything up to the item, then its info byte with content ref 1 (Deleted), flags kept.
    parts.push(update.subarray(at, offence.infoOffset));
    parts.push(Uint8Array.of(((update[offence.infoOffset] as number) & 0xe0) | 1));
    parts.push(update.subarray(offence.infoOffset + 1, offence.contentStart));
    parts.push(encodeVarUint(offence.length));
    at = offence.contentEnd;
  }
  parts.push(update.subarray(at));
  return concatBytes(parts);
}

/** lib0 writeVarUint. */
export function encodeVarUint(value: number): Uint8Array {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push(0x80 | (rest % 128));
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Uint8Array.from(bytes);
}
