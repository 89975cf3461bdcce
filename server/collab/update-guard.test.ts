import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { DEFAULT_VALUE_LIMITS, type ValueContentKind } from "@/lib/shared/yjs/inspect-update";
import {
  deepAnyBytes,
  deepValueUpdate,
  editBeforeUnknownText,
  rawItemsUpdate,
} from "@/lib/shared/yjs/update-test-kit";
import { checkUpdate, guardUpdate, integratesDirectly, type StructLike } from "./update-guard";

const limits = { maxUpdateBytes: 1024 * 1024, maxTypeDepth: 64, ...DEFAULT_VALUE_LIMITS };
const VALUE_LIMIT = DEFAULT_VALUE_LIMITS.maxValueDepth;
const KINDS: ValueContentKind[] = ["any", "json", "embed", "format", "doc"];

/** An update nesting `depth` XML elements, built the way an attacker would: one transaction. */
function nestedUpdate(depth: number, base?: Y.Doc): { doc: Y.Doc; update: Uint8Array } {
  const doc = new Y.Doc();
  if (base) Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
  const before = Y.encodeStateVector(doc);
  doc.transact(() => {
    let parent: Y.XmlFragment | Y.XmlElement = doc.getXmlFragment("text");
    for (let i = 0; i < depth; i++) {
      const child = new Y.XmlElement("blockquote");
      parent.insert(parent.length, [child]);
      parent = child;
    }
  });
  return { doc, update: Y.encodeStateAsUpdate(doc, before) };
}

describe("checking an update before it is applied", () => {
  it("accepts ordinary edits: text, marks, maps, deletions", () => {
    const room = new Y.Doc();
    const client = new Y.Doc();
    const updates: Uint8Array[] = [];
    client.on("update", (update: Uint8Array) => updates.push(update));
    const fragment = client.getXmlFragment("text");
    const paragraph = new Y.XmlElement("paragraph");
    fragment.insert(0, [paragraph]);
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    text.insert(0, "Hello, world");
    text.format(0, 5, { bold: true });
    text.delete(5, 7);
    client.getMap("annotations").set("a", { quote: "Hello" });
    for (const update of updates) {
      expect(checkUpdate(room, update, limits)).toBeNull();
      Y.applyUpdate(room, update);
    }
  });

  it("accepts nesting up to the limit, counting levels the room already holds", () => {
    const room = new Y.Doc();
    const first = nestedUpdate(40);
    expect(checkUpdate(room, first.update, limits)).toBeNull();
    Y.applyUpdate(room, first.update);
    // 24 more levels inside the deepest existing one: 64 in all.
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(room));
    const before = Y.encodeStateVector(client);
    let deepest = client.getXmlFragment("text").get(0) as Y.XmlElement;
    while (deepest.length > 0) deepest = deepest.get(0) as Y.XmlElement;
    client.transact(() => {
      let parent = deepest;
      for (let i = 0; i < 24; i++) {
        const child = new Y.XmlElement("blockquote");
        parent.insert(0, [child]);
        parent = child;
      }
    });
    const next = Y.encodeStateAsUpdate(client, before);
    expect(checkUpdate(room, next, limits)).toBeNull();
    Y.applyUpdate(room, next);
    // One more level is one too many.
    const clientTwo = new Y.Doc();
    Y.applyUpdate(clientTwo, Y.encodeStateAsUpdate(room));
    const beforeTwo = Y.encodeStateVector(clientTwo);
    let deepestTwo = clientTwo.getXmlFragment("text").get(0) as Y.XmlElement;
    while (deepestTwo.length > 0) deepestTwo = deepestTwo.get(0) as Y.XmlElement;
    deepestTwo.insert(0, [new Y.XmlElement("paragraph")]);
    expect(checkUpdate(room, Y.encodeStateAsUpdate(clientTwo, beforeTwo), limits)).toMatchObject({
      reason: "too-deep",
    });
  });

  it("refuses an update nested 15,000 levels deep, without overflowing its own stack", () => {
    const { update } = nestedUpdate(15_000);
    expect(checkUpdate(new Y.Doc(), update, limits)).toMatchObject({ reason: "too-deep" });
  });

  it("refuses an update whose parents the room does not have", () => {
    const { doc } = nestedUpdate(3);
    const before = Y.encodeStateVector(doc);
    let deepest = doc.getXmlFragment("text").get(0) as Y.XmlElement;
    while (deepest.length > 0) deepest = deepest.get(0) as Y.XmlElement;
    deepest.insert(0, [new Y.XmlElement("paragraph")]);
    const orphan = Y.encodeStateAsUpdate(doc, before);
    expect(checkUpdate(new Y.Doc(), orphan, limits)).toMatchObject({ reason: "unknown-parent" });
  });

  it.each([
    ["random bytes", Uint8Array.from([1, 200, 3, 255, 255, 255, 255, 7])],
    ["a truncated update", nestedUpdate(3).update.slice(0, 9)],
  ])("refuses %s as malformed", (_name, bytes) => {
    expect(checkUpdate(new Y.Doc(), bytes, limits)).toMatchObject({ reason: "malformed" });
  });

  it("refuses an update over the size limit before decoding it", () => {
    expect(checkUpdate(new Y.Doc(), new Uint8Array(2048), { ...limits, maxUpdateBytes: 1024 })).toMatchObject(
      {
        reason: "too-large",
      },
    );
  });

  it.each(KINDS)("accepts a %s value nested exactly to the value limit", (kind) => {
    expect(checkUpdate(new Y.Doc(), deepValueUpdate(kind, VALUE_LIMIT), limits)).toBeNull();
  });

  it.each(
    KINDS.flatMap((kind) => [VALUE_LIMIT + 1, 5_000, 15_000, 100_000].map((depth) => [kind, depth] as const)),
  )("refuses a %s value nested %i levels deep before Yjs decodes it", (kind, depth) => {
    expect(checkUpdate(new Y.Doc(), deepValueUpdate(kind, depth), limits)).toMatchObject({
      reason: "too-deep",
      message: expect.stringContaining(`${kind} value nested ${depth} levels deep`) as string,
    });
  });

  it.each([VALUE_LIMIT + 1, 5_000, 15_000, 100_000])(
    "refuses a merged multi-struct update with one value nested %i levels among ordinary ones",
    (depth) => {
      const update = rawItemsUpdate(11, [
        { kind: "any", value: deepAnyBytes(2), root: "list" },
        { kind: "json", value: "[1]", root: "list" },
        { kind: "any", value: deepAnyBytes(depth, "object"), root: "map", key: "k" },
        { kind: "any", value: deepAnyBytes(1), root: "list" },
      ]);
      expect(checkUpdate(new Y.Doc(), update, limits)).toMatchObject({ reason: "too-deep" });
    },
  );

  it("refuses an embedded value over the size limit", () => {
    const value = JSON.stringify(["x".repeat(DEFAULT_VALUE_LIMITS.maxValueBytes)]);
    expect(
      checkUpdate(new Y.Doc(), rawItemsUpdate(3, [{ kind: "embed", value, root: "t" }]), limits),
    ).toMatchObject({
      reason: "too-large",
    });
  });

  it("refuses an item that refers forward to its own client's later content", () => {
    // The room holds "abc" from client 1. Client 2's item sits after "a" (origin 1:0) but names
    // as its right origin 2:5, content of its own that cannot exist yet.
    const room = new Y.Doc();
    room.clientID = 1;
    room.getText("text").insert(0, "abc");
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1); // one client
    encoding.writeVarUint(encoder, 1); // one struct
    encoding.writeVarUint(encoder, 2); // client 2
    encoding.writeVarUint(encoder, 0); // from clock 0
    encoding.writeUint8(encoder, 4 | 0x80 | 0x40); // ContentString with origin and right origin
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint(encoder, 0);
    encoding.writeVarUint(encoder, 2);
    encoding.writeVarUint(encoder, 5);
    encoding.writeVarString(encoder, "x");
    encoding.writeVarUint(encoder, 0); // empty delete set
    const update = encoding.toUint8Array(encoder);

    // An empty document takes it (its origin is missing there, so it waits)…
    expect(() => Y.applyUpdate(new Y.Doc(), update)).not.toThrow();
    // …but the room throws halfway through integrating it: the guard must refuse it first.
    const victim = new Y.Doc();
    Y.applyUpdate(victim, Y.encodeStateAsUpdate(room));
    expect(() => Y.applyUpdate(victim, update)).toThrow();
    expect(checkUpdate(room, update, limits)).toMatchObject({ reason: "malformed" });
  });

  describe("the empty-document probe, only where needed", () => {
    /** Whether the guard skips the probe for `update` in `room`. */
    const skipsProbe = (room: Y.Doc, update: Uint8Array) => {
      const { structs, ds } = Y.decodeUpdate(update);
      return integratesDirectly(room, structs as unknown as StructLike[], ds);
    };

    it("skips it for ordinary edits that integrate into the room as it stands", () => {
      const room = new Y.Doc();
      const client = new Y.Doc();
      const updates: Uint8Array[] = [];
      client.on("update", (update: Uint8Array) => updates.push(update));
      const text = client.getText("text");
      text.insert(0, "Hello, world");
      text.format(0, 5, { bold: true });
      text.delete(5, 7);
      client.getMap("bench").set("k", 1);
      for (const update of updates) {
        expect(skipsProbe(room, update)).toBe(true);
        Y.applyUpdate(room, update);
      }
    });

    it("takes it for an update that would wait as pending: a gap in its client's clock, or deletions the room lacks", () => {
      const client = new Y.Doc();
      const updates: Uint8Array[] = [];
      client.on("update", (update: Uint8Array) => updates.push(update));
      client.getText("text").insert(0, "one");
      client.getText("text").insert(3, " two");
      const room = new Y.Doc();
      // The second edit without the first: it starts ahead of the room's clock for that client.
      expect(skipsProbe(room, updates[1] as Uint8Array)).toBe(false);
      // A deletion of content the room has never seen.
      client.getText("text").delete(0, 3);
      expect(skipsProbe(room, updates[2] as Uint8Array)).toBe(false);
    });

    it("takes it for GC structs; the update that decodes but does not apply is refused before it", () => {
      // Found by the fuzzer: a GC struct far past its client's clock and a delete set of junk.
      const unappliable = new Uint8Array(
        Buffer.from("0101a801a881918a06004401020546757a7a200081918a06004401020546757a7a2000", "hex"),
      );
      const room = new Y.Doc();
      expect(() => Y.applyUpdate(new Y.Doc(), unappliable)).toThrow();
      expect(skipsProbe(room, unappliable)).toBe(false);
      // Its deletions name nothing anyone has and are cut away; its struct would wait for clocks
      // that never come, so it is refused as referring to content the room lacks.
      expect(checkUpdate(room, unappliable, limits)).toEqual({
        reason: "unknown-parent",
        message: "update refers to content this room does not have",
      });
      // A GC struct where its client's clock stands is ordinary (a sync step 2 carries them).
      const collected = new Y.Doc({ gc: true });
      const inner = new Y.Text();
      collected.getArray("x").insert(0, [inner]);
      inner.insert(0, "gone");
      collected.getArray("x").delete(0, 1);
      const state = Y.encodeStateAsUpdate(collected);
      expect(Y.decodeUpdate(state).structs.some((struct) => struct instanceof Y.GC)).toBe(true);
      expect(skipsProbe(room, state)).toBe(false);
      expect(checkUpdate(room, state, limits)).toBeNull();
    });

    it("refuses a struct that would wait as pending: past its client's clock, or after a skip", () => {
      const room = new Y.Doc();
      const client = new Y.Doc();
      client.getText("text").insert(0, "one");
      const before = Y.encodeStateVector(client);
      client.getText("text").insert(3, " two");
      const second = Y.encodeStateAsUpdate(client, before);
      expect(guardUpdate(room, second, limits).verdict?.reason).toBe("unknown-parent");
      // Merged without the first edit's middle: the merge carries a skip over the missing clocks.
      const first = new Y.Doc();
      first.clientID = client.clientID;
      first.getText("text").insert(0, "o");
      const withSkip = Y.mergeUpdates([Y.encodeStateAsUpdate(first), second]);
      expect(Y.decodeUpdate(withSkip).structs.some((struct) => struct.constructor.name === "Skip")).toBe(
        true,
      );
      expect(guardUpdate(room, withSkip, limits).verdict?.reason).toBe("unknown-parent");
    });
  });

  describe("an update that refers to content nobody has", () => {
    it("would leave the room waiting for it for good, applied as it is", () => {
      const { room, update } = editBeforeUnknownText("text");
      Y.applyUpdate(room, update);
      expect((room.store as unknown as { pendingStructs: unknown }).pendingStructs).toBeTruthy();
      expect(room.getText("text").toJSON()).toBe("hello");
    });

    it("is refused as naming an unknown parent; once the room has that content, it integrates", () => {
      const { room, update, strangerText } = editBeforeUnknownText("text");
      // Found by `npm run soak -- --fuzz`: a bit flip in a right origin's client, the origin intact.
      expect(guardUpdate(room, update, limits).verdict?.reason).toBe("unknown-parent");
      Y.applyUpdate(room, strangerText);
      expect(guardUpdate(room, update, limits).verdict).toBeNull();
      Y.applyUpdate(room, update);
      expect(room.getText("text").toJSON()).toBe("helloX0123");
    });
  });

  describe("an update that overlaps what the room holds next to garbage", () => {
    /**
     * The room holds client 77's text "hello" as garbage (its parent was deleted), and an update
     * re-sends client 77's clocks from 1 on as one longer item under a live root type. Yjs
     * integrates the overlapping part from the garbage's end, with the garbage as its left
     * neighbour, and throws halfway through the transaction (found by `npm run soak -- --fuzz`
     * at frame 139,204 as `truncate-inside(update-10)`: the room closed everyone with 1011).
     */
    function roomWithGarbage() {
      const author = new Y.Doc();
      author.clientID = 77;
      const inner = new Y.Text();
      author.getArray("x").insert(0, [inner]);
      inner.insert(0, "hello");
      const room = new Y.Doc({ gc: true });
      Y.applyUpdate(room, Y.encodeStateAsUpdate(author));
      room.getArray("x").delete(0, 1);
      const forged = new Y.Doc();
      forged.clientID = 77;
      forged.getArray("x").insert(0, ["z"]);
      forged.getText("y").insert(0, "helloworld");
      return { room, update: Y.encodeStateAsUpdate(forged) };
    }

    it("makes Yjs throw when applied as it is (the case the guard must not let through)", () => {
      const { room, update } = roomWithGarbage();
      expect(room.store.clients.get(77)?.map((struct) => struct.constructor.name)).toEqual(["Item", "GC"]);
      expect(() => Y.applyUpdate(room, update)).toThrow(/origin/);
    });

    it("is cut down to what the room lacks, which applies and leaves the room readable", () => {
      const { room, update } = roomWithGarbage();
      const guarded = guardUpdate(room, update, limits);
      expect(guarded.verdict).toBeNull();
      expect(guarded.update).not.toEqual(update);
      const structs = Y.decodeUpdate(guarded.update).structs;
      expect(structs.map((struct) => [struct.id.clock, struct.length])).toEqual([[6, 5]]);
      expect(() => Y.applyUpdate(room, guarded.update)).not.toThrow();
      expect(Y.getState(room.store, 77)).toBe(11);
      // The room still loads, for a newcomer as for the server.
      const newcomer = new Y.Doc();
      Y.applyUpdate(newcomer, Y.encodeStateAsUpdate(room));
      expect(newcomer.getArray("x").length).toBe(0);
    });

    it("is given back unchanged when nothing of it is already held", () => {
      const room = new Y.Doc();
      const client = new Y.Doc();
      client.getText("text").insert(0, "fresh");
      const update = Y.encodeStateAsUpdate(client);
      const guarded = guardUpdate(room, update, limits);
      expect(guarded).toEqual({ verdict: null, update });
    });
  });

  describe("an update that deletes content nobody has", () => {
    /** A room holding "hello" by client 1, and a client 77 that wrote "0123456789" the room never saw. */
    function roomAndStranger() {
      const room = new Y.Doc();
      room.clientID = 1;
      room.getText("text").insert(0, "hello");
      const stranger = new Y.Doc();
      stranger.clientID = 77;
      Y.applyUpdate(stranger, Y.encodeStateAsUpdate(room));
      stranger.getText("text").insert(5, "0123456789");
      return { room, stranger };
    }
    /** The deletions `stranger` makes with `edit`, as the update it sends. */
    const deletionsOf = (stranger: Y.Doc, edit: () => void) => {
      const updates: Uint8Array[] = [];
      stranger.on("update", (update: Uint8Array) => updates.push(update));
      edit();
      return Y.mergeUpdates(updates);
    };
    const pending = (doc: Y.Doc) => (doc.store as unknown as { pendingDs: unknown }).pendingDs;

    it("would leave the room waiting for it for good, applied as it is", () => {
      const { room, stranger } = roomAndStranger();
      const update = deletionsOf(stranger, () => stranger.getText("text").delete(7, 3));
      Y.applyUpdate(room, update);
      expect(pending(room)).toBeTruthy();
      // From then on no edit integrates directly: every one takes the probe.
      const next = Y.decodeUpdate(deletionsOf(room, () => room.getText("text").insert(0, ">")));
      expect(integratesDirectly(room, next.structs as unknown as StructLike[], next.ds)).toBe(false);
    });

    it("loses those deletions and keeps the rest, so nothing waits in the room", () => {
      const { room, stranger } = roomAndStranger();
      // One update: "ll" of the room's "hello" and "234" of the stranger's unseen text.
      const update = deletionsOf(stranger, () =>
        stranger.transact(() => {
          stranger.getText("text").delete(7, 3);
          stranger.getText("text").delete(2, 2);
        }),
      );
      const guarded = guardUpdate(room, update, limits);
      expect(guarded.verdict).toBeNull();
      expect([...Y.decodeUpdate(guarded.update).ds.clients.keys()]).toEqual([1]);
      Y.applyUpdate(room, guarded.update);
      expect(pending(room)).toBeFalsy();
      expect(room.getText("text").toJSON()).toBe("heo");
    });

    it("keeps the known part of a range that runs past what the room holds", () => {
      const { room, stranger } = roomAndStranger();
      // The room learns the stranger's first four characters only.
      const firstFour = new Y.Doc();
      firstFour.clientID = 77;
      Y.applyUpdate(firstFour, Y.encodeStateAsUpdate(room));
      firstFour.getText("text").insert(5, "0123");
      Y.applyUpdate(room, Y.encodeStateAsUpdate(firstFour, Y.encodeStateVector(room)));
      const update = deletionsOf(stranger, () => stranger.getText("text").delete(7, 6));
      const guarded = guardUpdate(room, update, limits);
      expect(guarded.verdict).toBeNull();
      expect(Y.decodeUpdate(guarded.update).ds.clients.get(77)).toEqual([{ clock: 2, len: 2 }]);
      Y.applyUpdate(room, guarded.update);
      expect(pending(room)).toBeFalsy();
      expect(room.getText("text").toJSON()).toBe("hello01");
    });

    it("loses empty ranges, which Yjs would keep as pending and then fail to encode", () => {
      const room = new Y.Doc();
      room.clientID = 2;
      room.getText("text").insert(0, "x".repeat(10));
      // A delete set of client 2 with an empty range at the room's clock, and a real one.
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0); // no structs
      encoding.writeVarUint(encoder, 1); // one client in the delete set
      encoding.writeVarUint(encoder, 2);
      encoding.writeVarUint(encoder, 2); // two ranges
      for (const [clock, len] of [
        [10, 0],
        [0, 3],
      ] as const) {
        encoding.writeVarUint(encoder, clock);
        encoding.writeVarUint(encoder, len);
      }
      const update = encoding.toUint8Array(encoder);
      expect(() => Y.applyUpdate(new Y.Doc(), Y.encodeStateAsUpdate(room))).not.toThrow();
      const unguarded = new Y.Doc();
      Y.applyUpdate(unguarded, Y.encodeStateAsUpdate(room));
      expect(() => Y.applyUpdate(unguarded, update)).toThrow(/Unexpected case/);
      const guarded = guardUpdate(room, update, limits);
      expect(guarded.verdict).toBeNull();
      expect(Y.decodeUpdate(guarded.update).ds.clients.get(2)).toEqual([{ clock: 0, len: 3 }]);
      Y.applyUpdate(room, guarded.update);
      expect(pending(room)).toBeFalsy();
      expect(room.getText("text").length).toBe(7);
    });

    it("keeps deletions of the update's own new content", () => {
      const room = new Y.Doc();
      const client = new Y.Doc();
      const update = deletionsOf(client, () =>
        client.transact(() => {
          client.getText("text").insert(0, "draft");
          client.getText("text").delete(0, 2);
        }),
      );
      const guarded = guardUpdate(room, update, limits);
      expect(guarded).toEqual({ verdict: null, update });
    });
  });
});
