/**
 * Malformed websocket frames for the collab server, derived from real valid
 * frames of the y-websocket protocol (sync step 1 and 2, updates, awareness)
 * by a seeded random source, so a failing run replays from its seed.
 */
import * as encoding from "lib0/encoding";
import * as decoding from "lib0/decoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { concatBytes } from "../../lib/shared/yjs/concat-bytes";
import { DEFAULT_VALUE_LIMITS, type ValueContentKind } from "../../lib/shared/yjs/inspect-update";
import { deepValueUpdate } from "../../lib/shared/yjs/update-test-kit";
import type { Random } from "./random";

/** A frame to send, and what the server may answer with. */
export type FuzzFrame = {
  /** How it was made, e.g. `bit-flip(update)`. */
  kind: string;
  /** The payload; sent as a text frame when `isText`. */
  data: Uint8Array | string;
  isText: boolean;
  /**
   * Close codes this frame may draw. `null` means "any protocol-error class
   * code, or none": the mutation may still be a valid message.
   */
  expect: readonly number[] | null;
};

/** Close codes of the protocol-error class (docs/architecture.md §6): the only ones a bad frame may draw. */
export const PROTOCOL_ERROR_CODES = [1002, 1003, 1007, 1009, 4413, 4429] as const;

/** A valid frame of the protocol and, for envelopes around a byte array, the array's offset. */
export type BaseFrame = { name: string; frame: Uint8Array; payload?: Uint8Array; prefix?: number[] };

function wrap(prefix: number[], payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  for (const value of prefix) encoding.writeVarUint(encoder, value);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** Writes a raw varint of arbitrary size (beyond 2^53 too), as a hostile client could. */
function rawVarint(value: bigint): number[] {
  const bytes: number[] = [];
  let rest = value;
  do {
    let byte = Number(rest & 0x7fn);
    rest >>= 7n;
    if (rest > 0n) byte |= 0x80;
    bytes.push(byte);
  } while (rest > 0n);
  return bytes;
}

/**
 * Real frames a client of `roomState` would send: edits of the room's own
 * content (so mutations reach Yjs integration, not just decoding), new
 * shared types, a state vector, a sync step 2, awareness. Deterministic for
 * a given `roomState`.
 */
export function buildBaseFrames(roomState: Uint8Array): BaseFrame[] {
  const doc = new Y.Doc();
  // A fixed client id, so the same seed gives the same bytes.
  doc.clientID = 0x5eed;
  const awareness = new awarenessProtocol.Awareness(doc);
  try {
    Y.applyUpdate(doc, roomState);
    const serverVector = Y.encodeStateVector(doc);
    const updates: Uint8Array[] = [];
    doc.on("update", (update: Uint8Array) => updates.push(update));

    const fragment = doc.getXmlFragment("text");
    const firstText = findXmlText(fragment);
    if (firstText) {
      firstText.insert(0, "Fuzz ");
      firstText.format(0, 4, { bold: true });
      firstText.delete(2, 3);
      firstText.insert(firstText.length, " end", { italic: true });
    }
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText("a new paragraph")]);
    fragment.insert(Math.min(1, fragment.length), [paragraph]);
    paragraph.setAttribute("data-id", "p1");
    const map = doc.getMap<unknown>("fuzz");
    map.set("n", 1);
    map.set("s", "a string value");
    map.set("o", { nested: [1, 2, { deep: true }] });
    const nested = new Y.Map<unknown>();
    map.set("m", nested);
    nested.set("x", new Uint8Array([1, 2, 3]));
    const array = doc.getArray<unknown>("list");
    array.push([1, "two", null, { three: 3 }]);
    array.delete(1, 2);
    doc.getText("note").insert(0, "text with 🧪 emoji");
    map.delete("s");

    awareness.setLocalState({
      user: { name: "Fuzzer", color: "#123456" },
      cursor: { anchor: { type: null, tname: "text", item: null, assoc: 0 }, head: null },
    });
    const awarenessUpdate = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]);
    const diff = Y.encodeStateAsUpdate(doc, serverVector);
    const stateVector = Y.encodeStateVector(doc);

    return [
      { name: "sync-step-1", frame: wrap([0, 0], stateVector), payload: stateVector, prefix: [0, 0] },
      { name: "sync-step-2", frame: wrap([0, 1], diff), payload: diff, prefix: [0, 1] },
      ...updates.map((update, index) => ({
        name: `update-${index}`,
        frame: wrap([0, 2], update),
        payload: update,
        prefix: [0, 2],
      })),
      { name: "awareness", frame: wrap([1], awarenessUpdate), payload: awarenessUpdate, prefix: [1] },
      { name: "query-awareness", frame: new Uint8Array([3]) },
      { name: "auth", frame: wrap([2, 0], new TextEncoder().encode("permission denied")) },
    ];
  } finally {
    awareness.destroy();
    doc.destroy();
  }
}

function findXmlText(type: Y.XmlFragment | Y.XmlElement): Y.XmlText | null {
  for (const child of type.toArray()) {
    if (child instanceof Y.XmlText && child.length > 3) return child;
    if (child instanceof Y.XmlElement) {
      const found = findXmlText(child);
      if (found) return found;
    }
  }
  return null;
}

function flipBits(bytes: Uint8Array, random: Random): Uint8Array {
  const out = bytes.slice();
  if (out.length === 0) return out;
  const flips = random.int(1, 8);
  for (let i = 0; i < flips; i++) {
    const index = random.int(0, out.length - 1);
    out[index] = (out[index] as number) ^ (1 << random.int(0, 7));
  }
  return out;
}

function truncate(bytes: Uint8Array, random: Random): Uint8Array {
  return bytes.slice(0, random.int(0, Math.max(0, bytes.length - 1)));
}

function splice(bytes: Uint8Array, random: Random): Uint8Array {
  const at = random.int(0, bytes.length);
  const roll = random.next();
  if (roll < 0.33) return concat(bytes.slice(0, at), random.bytes(random.int(1, 16)), bytes.slice(at));
  if (roll < 0.66)
    return concat(bytes.slice(0, at), bytes.slice(Math.min(bytes.length, at + random.int(1, 16))));
  const from = random.int(0, bytes.length);
  return concat(bytes.slice(0, at), bytes.slice(from, from + random.int(1, 32)), bytes.slice(at));
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return concatBytes(parts);
}

const mutators: Record<string, (base: Uint8Array, random: Random) => Uint8Array> = {
  "bit-flip": flipBits,
  truncate,
  splice,
};

/** Depths of the deep-value frames: the limit (may be accepted), one over, and far over. */
const DEEP_VALUE_DEPTHS = [
  DEFAULT_VALUE_LIMITS.maxValueDepth,
  DEFAULT_VALUE_LIMITS.maxValueDepth + 1,
  1_000,
  5_000,
  15_000,
  100_000,
] as const;
const DEEP_VALUE_KINDS: ValueContentKind[] = ["any", "json", "embed", "format", "doc"];

/**
 * Endless malformed frames (a few fixed oversize ones first), deterministic
 * for `random`'s seed; lazy, so a run of millions holds only the frames in
 * flight. `maxPayloadBytes` and `maxUpdateBytes` are the server's limits.
 */
export function* generateFuzzFrames(
  bases: BaseFrame[],
  random: Random,
  limits: { maxPayloadBytes: number; maxUpdateBytes: number },
): Generator<FuzzFrame, never> {
  const binary = (kind: string, data: Uint8Array, expect: readonly number[] | null = null): FuzzFrame => ({
    kind,
    data,
    isText: false,
    expect,
  });
  const withPayload = bases.filter((base) => base.payload && base.prefix);

  // Fixed classes with one right answer each.
  yield binary("empty", new Uint8Array(0), [1002]);
  for (let i = 0; i < 8; i++) {
    // Over maxPayload: `ws` refuses it from the frame header.
    const size = limits.maxPayloadBytes + random.int(1, 64 * 1024);
    const data = new Uint8Array(size);
    data.set([0, 2]);
    yield binary("over-max-payload", data, [1009]);
  }
  for (let i = 0; i < 6; i++) {
    // Within maxPayload, over maxUpdateBytes: our update guard refuses it.
    const update = random.bytes(limits.maxUpdateBytes + random.int(1, 1024));
    yield binary("update-over-max-update-bytes", wrap([0, 2], update), [4413]);
  }

  for (;;) {
    const roll = random.next();
    const base = random.pick(bases);
    if (roll < 0.04) {
      yield {
        kind: "text",
        data: `{"type":"sync","n":${random.int(0, 1e6)}}`,
        isText: true,
        expect: [1003],
      };
    } else if (roll < 0.06) {
      // A text frame that is not even UTF-8: `ws` refuses it before we see it.
      yield {
        kind: "text-invalid-utf8",
        data: concat(new Uint8Array([0xc3, 0x28]), random.bytes(8)),
        isText: true,
        expect: [1007],
      };
    } else if (roll < 0.1) {
      const type = random.pick([4, 5, 17, 127, 128, 255, 65_535, 2 ** 31, 2 ** 40]);
      yield binary(
        "unknown-message-type",
        concat(new Uint8Array(rawVarint(BigInt(type))), random.bytes(random.int(0, 32))),
        [1002],
      );
    } else if (roll < 0.13) {
      // One embedded value of each kind nested to the limit or beyond (issue 9 §1), as an update or a
      // sync step 2, from a fresh client id so an accepted one is new content. Past the limit: 4413.
      const kind = random.pick(DEEP_VALUE_KINDS);
      const depth = random.pick(DEEP_VALUE_DEPTHS);
      const prefix = random.next() < 0.5 ? [0, 2] : [0, 1];
      const update = deepValueUpdate(kind, depth, random.int(1_000_000, 2 ** 31));
      yield binary(
        `deep-value(${kind},${depth})`,
        wrap(prefix, update),
        depth > DEFAULT_VALUE_LIMITS.maxValueDepth ? [4413] : null,
      );
    } else if (roll < 0.2) {
      // A length prefix that promises more than the frame holds: just past the end, or absurd.
      const target = random.pick(withPayload);
      const payload = target.payload as Uint8Array;
      const claimed = random.pick([
        BigInt(payload.length + random.int(1, 64)),
        BigInt(2 ** 20),
        BigInt(2 ** 31),
        BigInt(Number.MAX_SAFE_INTEGER),
        2n ** 64n + 5n,
      ]);
      const prefix = (target.prefix as number[]).flatMap((value) => rawVarint(BigInt(value)));
      yield binary(
        `huge-length(${target.name})`,
        concat(new Uint8Array([...prefix, ...rawVarint(claimed)]), payload),
        [1002],
      );
    } else if (roll < 0.25) {
      yield binary("random-bytes", random.bytes(random.int(1, 256)));
    } else if (roll < 0.32) {
      // A valid envelope around random bytes: reaches the Yjs and awareness decoders.
      const target = random.pick(withPayload);
      yield binary(
        `envelope-garbage(${target.name})`,
        wrap(target.prefix as number[], random.bytes(random.int(0, 200))),
      );
    } else if (roll < 0.62) {
      // Mutate inside a correct envelope, so the message reaches Yjs with a damaged update.
      const target = random.pick(withPayload);
      const name = random.pick(Object.keys(mutators));
      const mutated = (mutators[name] as (typeof mutators)[string])(target.payload as Uint8Array, random);
      yield binary(`${name}-inside(${target.name})`, wrap(target.prefix as number[], mutated));
    } else {
      const name = random.pick(Object.keys(mutators));
      yield binary(
        `${name}(${base.name})`,
        (mutators[name] as (typeof mutators)[string])(base.frame, random),
      );
    }
  }
}

/** The first `count` frames of {@link generateFuzzFrames}. */
export function buildFuzzFrames(
  bases: BaseFrame[],
  random: Random,
  count: number,
  limits: { maxPayloadBytes: number; maxUpdateBytes: number },
): FuzzFrame[] {
  const frames: FuzzFrame[] = [];
  const generator = generateFuzzFrames(bases, random, limits);
  while (frames.length < count) frames.push(generator.next().value);
  return frames;
}

/** True when the server answers `frame` with a sync step 2 if it accepts it (it is a sync step 1). */
export function isSyncStep1(frame: Uint8Array): boolean {
  try {
    const decoder = decoding.createDecoder(frame);
    return decoding.readVarUint(decoder) === 0 && decoding.readVarUint(decoder) === 0;
  } catch {
    return false;
  }
}
