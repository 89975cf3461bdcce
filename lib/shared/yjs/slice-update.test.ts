import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { sliceUpdate } from "./slice-update";

/** A doc with a fixed client id (so tests can interleave several writers). */
function docOf(clientID: number): Y.Doc {
  const doc = new Y.Doc({ gc: true });
  doc.clientID = clientID;
  return doc;
}

/** Applies `slices` in order to `doc`, checking after each that Yjs kept nothing aside as pending. */
function applyInOrder(doc: Y.Doc, slices: readonly Uint8Array[]) {
  slices.forEach((slice, index) => {
    Y.applyUpdate(doc, slice);
    expect(
      doc.store.pendingStructs,
      `slice ${index + 1} of ${slices.length} left structs pending`,
    ).toBeNull();
    if (index < slices.length - 1)
      expect(doc.store.pendingDs, `slice ${index + 1} carried deletions`).toBeNull();
  });
}

/** The same document: same state vector, same delete set, same contents. */
function expectSameDoc(actual: Y.Doc, expected: Y.Doc) {
  expect(Y.encodeStateVector(actual)).toEqual(Y.encodeStateVector(expected));
  expect(Y.encodeStateAsUpdate(actual)).toEqual(Y.encodeStateAsUpdate(expected));
  expect(actual.getMap("entries").toJSON()).toEqual(expected.getMap("entries").toJSON());
}

const text = (i: number) => `entry ${i}: ${"close reading, slowly. ".repeat(8)}`;

describe("sliceUpdate", () => {
  it("returns a small update as it is", () => {
    const doc = docOf(1);
    doc.getMap("entries").set("a", "b");
    const update = Y.encodeStateAsUpdate(doc);
    expect(sliceUpdate(update, 1024)).toEqual([update]);
  });

  it("cuts one writer's room (entries set, overwritten, deleted) into slices of about the size asked", () => {
    const source = docOf(7);
    const entries = source.getMap<string>("entries");
    for (let i = 0; i < 2000; i++) entries.set(`t${i}`, text(i));
    for (let i = 0; i < 2000; i += 3) entries.set(`t${i}`, `${text(i)} (edited)`);
    for (let i = 1; i < 2000; i += 7) entries.delete(`t${i}`);
    const update = Y.encodeStateAsUpdate(source);

    const maxBytes = 16 * 1024;
    const slices = sliceUpdate(update, maxBytes);
    expect(slices.length).toBeGreaterThanOrEqual(Math.floor(update.byteLength / (maxBytes + 512)));
    // A slice passes the size by at most its last struct (an entry here is well under 512 bytes).
    for (const slice of slices) expect(slice.byteLength).toBeLessThan(maxBytes + 512);

    const reader = new Y.Doc();
    applyInOrder(reader, slices);
    expectSameDoc(reader, source);
    expect(reader.getMap("entries").has("t1")).toBe(false);
    expect(reader.getMap("entries").get("t3")).toBe(`${text(3)} (edited)`);
  });

  it("makes slices of even size: no small last one", () => {
    const source = docOf(3);
    const entries = source.getMap<string>("entries");
    for (let i = 0; i < 600; i++) entries.set(`t${i}`, text(i));
    const update = Y.encodeStateAsUpdate(source);
    // Just under half: two slices of that size would leave a third of a few hundred bytes.
    const slices = sliceUpdate(update, Math.floor(update.byteLength / 2) - 300);
    const sizes = slices.map((slice) => slice.byteLength);
    expect(sizes).toHaveLength(3);
    expect(Math.min(...sizes)).toBeGreaterThan(Math.max(...sizes) * 0.9);
    const reader = new Y.Doc();
    applyInOrder(reader, slices);
    expectSameDoc(reader, source);
  });

  it("orders structs after what they refer to when several writers' entries refer to each other's", () => {
    // Three writers taking turns on the same keys, a list and nested maps: each overwrite's
    // origin is another writer's entry, each insert's origin another writer's item.
    const writers = [docOf(300), docOf(20), docOf(1)];
    const sync = () => {
      for (const from of writers)
        for (const to of writers)
          if (from !== to) Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
    };
    for (let round = 0; round < 60; round++) {
      writers.forEach((writer, w) => {
        const entries = writer.getMap<unknown>("entries");
        for (let k = 0; k < 10; k++) entries.set(`shared${k}`, `${text(round)} by ${w}`);
        const nested = new Y.Map<string>();
        entries.set(`nested${round}-${w}`, nested);
        nested.set("body", text(round * 3 + w));
        const list = writer.getArray<string>("list");
        list.insert(Math.floor(list.length / 2), [`${round}/${w}`]);
        if (round % 5 === 0 && list.length > 2) list.delete(0, 1);
      });
      sync();
    }
    // Nested maps filled after the writers synced: their entries' parent is another writer's item.
    writers.forEach((writer, w) => {
      const nested = writer.getMap<Y.Map<string>>("entries").get(`nested59-${(w + 1) % 3}`);
      nested?.set(`note${w}`, text(w));
    });
    sync();
    const source = writers[0] as Y.Doc;
    const update = Y.encodeStateAsUpdate(source);

    for (const maxBytes of [256, 2048, 8192]) {
      const slices = sliceUpdate(update, maxBytes);
      expect(slices.length).toBeGreaterThan(1);
      const reader = new Y.Doc();
      applyInOrder(reader, slices);
      expectSameDoc(reader, source);
      expect(reader.getArray("list").toJSON()).toEqual(source.getArray("list").toJSON());
    }
  });

  it("cuts a diff against a reader's state, which the reader applies on top of what it has", () => {
    const source = docOf(5);
    const entries = source.getMap<string>("entries");
    for (let i = 0; i < 300; i++) entries.set(`t${i}`, text(i));
    const reader = new Y.Doc();
    Y.applyUpdate(reader, Y.encodeStateAsUpdate(source));
    for (let i = 300; i < 1500; i++) entries.set(`t${i}`, text(i));
    for (let i = 0; i < 300; i += 2) entries.delete(`t${i}`);

    const slices = sliceUpdate(Y.encodeStateAsUpdate(source, Y.encodeStateVector(reader)), 8 * 1024);
    expect(slices.length).toBeGreaterThan(1);
    applyInOrder(reader, slices);
    expectSameDoc(reader, source);
  });

  it("cuts a long text between its runs", () => {
    const source = docOf(9);
    const fragment = source.getXmlFragment("text");
    for (let p = 0; p < 200; p++) {
      const paragraph = new Y.XmlElement("paragraph");
      fragment.push([paragraph]);
      paragraph.push([new Y.XmlText(text(p).repeat(3))]);
    }
    const slices = sliceUpdate(Y.encodeStateAsUpdate(source), 4096);
    expect(slices.length).toBeGreaterThan(10);
    const reader = new Y.Doc();
    applyInOrder(reader, slices);
    expect(reader.getXmlFragment("text").toJSON()).toBe(fragment.toJSON());
  });

  it("returns an update it cannot read as it is, for the caller's checks to refuse", () => {
    const garbage = Uint8Array.from({ length: 4096 }, (_, i) => (i * 37) % 256);
    expect(sliceUpdate(garbage, 1024)).toEqual([garbage]);
  });
});
