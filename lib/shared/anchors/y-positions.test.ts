import { readFileSync } from "node:fs";
import path from "node:path";
import type { Node as PMNode } from "@tiptap/pm/model";
import {
  absolutePositionToRelativePosition,
  initProseMirrorDoc,
  relativePositionToAbsolutePosition,
  yXmlFragmentToProseMirrorRootNode,
} from "@tiptap/y-tiptap";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { importText } from "../documents/import-text";
import { ROOT_TYPES } from "../rooms";
import { getReadingSchema } from "../schema/reading-schema";
import { cloneDoc, EditingSession, findRange, seedTextRoom, syncDocs } from "./anchor-test-kit";
import { createPositionMapper, pmPosToRelative, relativeToPmPos, type PositionMapper } from "./y-positions";

const ESSAY = importText(
  readFileSync(
    path.resolve(import.meta.dirname, "../../../content/texts/trotsky-guest-of-the-revolution.txt"),
    "utf8",
  ),
);
const schema = getReadingSchema();

/** The binding's map from Yjs types to ProseMirror nodes. */
type BindingMapping = Parameters<typeof relativePositionToAbsolutePosition>[3];

function bindingMapping(fragment: Y.XmlFragment): BindingMapping {
  return initProseMirrorDoc(fragment, schema).mapping as BindingMapping;
}

/** Every position, each bound both ways, must come back to itself, and agree with Yjs' own conversions. */
function expectRoundTrips(doc: Y.Doc, fragment: Y.XmlFragment, pmDoc: PMNode, mapper: PositionMapper) {
  expect(mapper.size).toBe(pmDoc.content.size);
  for (let pos = 0; pos <= pmDoc.content.size; pos++) {
    for (const assoc of [0, -1]) {
      const rel = mapper.toRelative(pos, assoc);
      expect(mapper.toPmPos(rel), `position ${pos}, assoc ${assoc}`).toBe(pos);
      expect(mapper.toPmPos(Y.decodeRelativePosition(Y.encodeRelativePosition(rel)))).toBe(pos);
      // The shortcut through the walk gives what Yjs itself would give.
      const absolute = Y.createAbsolutePositionFromRelativePosition(rel, doc);
      expect(absolute).not.toBeNull();
      const expected = Y.createRelativePositionFromTypeIndex(absolute!.type, absolute!.index, assoc);
      expect(Y.compareRelativePositions(rel, expected), `position ${pos}, assoc ${assoc}`).toBe(true);
    }
  }
}

describe("positions on the essay's fragment", () => {
  const { doc, fragment } = seedTextRoom(ESSAY.content);
  const pmDoc = yXmlFragmentToProseMirrorRootNode(fragment, schema);
  const mapper = createPositionMapper(doc, fragment, schema);

  it("measures the document as ProseMirror does", () => {
    expect(mapper.size).toBe(pmDoc.content.size);
    expect(pmDoc.eq(schema.nodeFromJSON(ESSAY.content))).toBe(true);
  });

  it("maps every position to a relative position and back to itself", () => {
    expectRoundTrips(doc, fragment, pmDoc, mapper);
  });

  it("binds positions inside a textblock to the Y.XmlText when text lies on the bound side", () => {
    let checked = 0;
    for (let pos = 0; pos <= pmDoc.content.size; pos++) {
      const $pos = pmDoc.resolve(pos);
      if (!$pos.parent.isTextblock) continue;
      for (const [assoc, neighbour] of [
        [0, $pos.nodeAfter],
        [-1, $pos.nodeBefore],
      ] as const) {
        const absolute = Y.createAbsolutePositionFromRelativePosition(mapper.toRelative(pos, assoc), doc);
        expect(absolute!.type instanceof Y.XmlText).toBe(Boolean(neighbour?.isText));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2 * ESSAY.plainText.length);
  });

  it("gives the text between two positions that ProseMirror gives", () => {
    const ranges = [
      findRange(pmDoc, "no pity!” These were"),
      findRange(pmDoc, "General Francisco Múgica.\nIn exactly five minutes"),
      findRange(pmDoc, "the privilege of asylum"),
      findRange(pmDoc, "Carlo Tresca"),
      { from: 0, to: pmDoc.content.size },
    ];
    for (const { from, to } of ranges) {
      const start = mapper.toPmPos(mapper.toRelative(from, 0))!;
      const end = mapper.toPmPos(mapper.toRelative(to, -1))!;
      expect(pmDoc.textBetween(start, end, "\n")).toBe(pmDoc.textBetween(from, to, "\n"));
    }
  });

  it("resolves the relative positions y-tiptap makes for cursors as y-tiptap does", () => {
    const mapping = bindingMapping(fragment);
    for (let pos = 0; pos <= pmDoc.content.size; pos++) {
      const rel = absolutePositionToRelativePosition(pos, fragment, mapping) as Y.RelativePosition;
      const theirs = relativePositionToAbsolutePosition(doc, fragment, rel, mapping);
      if (theirs === null) continue; // y-tiptap's own misresolution guard near the document start
      expect(mapper.toPmPos(rel), `position ${pos}`).toBe(theirs);
    }
  });

  it("offers one-shot helpers with the same answers", () => {
    const { from } = findRange(pmDoc, "Vyshinsky");
    const rel = pmPosToRelative(fragment, from, 0);
    expect(relativeToPmPos(doc, fragment, rel)).toBe(from);
  });

  it("rejects positions outside the document", () => {
    expect(() => mapper.toRelative(-1, 0)).toThrow(RangeError);
    expect(() => mapper.toRelative(pmDoc.content.size + 1, 0)).toThrow(RangeError);
    expect(() => mapper.toRelative(1.5, 0)).toThrow(RangeError);
  });
});

describe("positions after edits", () => {
  it("still round-trips, and old positions follow their characters, after local and remote edits", () => {
    const { doc, fragment } = seedTextRoom(ESSAY.content);
    const session = new EditingSession(doc, fragment);
    const before = createPositionMapper(doc, fragment);
    const oldPositions = Array.from({ length: session.pmDoc.content.size + 1 }, (_, pos) => ({
      pos,
      start: before.toRelative(pos, 0),
      end: before.toRelative(pos, -1),
    }));

    const remote = cloneDoc(doc);
    const other = new EditingSession(remote.doc, remote.fragment);
    session.edit((tr) => tr.insertText("Indeed: ", findRange(session.pmDoc, "How did this happen?").from));
    session.edit((tr) => tr.split(findRange(session.pmDoc, "Immediately after that").from));
    session.edit((tr) => {
      const { from, to } = findRange(session.pmDoc, "among them Zinoviev and Kamenev");
      tr.delete(from, to);
    });
    other.edit((tr) => tr.insertText(" (sic)", findRange(other.pmDoc, "Leon Trotsky.").to));
    other.edit((tr) => {
      const $pos = other.pmDoc.resolve(findRange(other.pmDoc, "Why were these basic principles").from);
      tr.delete($pos.before(1), $pos.after(1));
    });
    syncDocs(doc, remote.doc);
    session.refresh();
    other.refresh();
    expect(session.pmDoc.eq(other.pmDoc)).toBe(true);

    const after = createPositionMapper(doc, fragment);
    expectRoundTrips(doc, fragment, session.pmDoc, after);

    const mapping = bindingMapping(fragment);
    let resolved = 0;
    for (const { pos, start, end } of oldPositions) {
      for (const rel of [start, end]) {
        const ours = after.toPmPos(rel);
        const absolute = Y.createAbsolutePositionFromRelativePosition(rel, doc);
        const isDeletedType =
          absolute !== null && absolute.type._item !== null && absolute.type._item.deleted;
        if (isDeletedType) {
          expect(ours, `old position ${pos}`).toBeNull();
          continue;
        }
        const theirs = relativePositionToAbsolutePosition(doc, fragment, rel, mapping);
        if (theirs !== null) expect(ours, `old position ${pos}`).toBe(theirs);
        if (ours !== null) resolved++;
      }
    }
    expect(resolved).toBeGreaterThan(oldPositions.length);
  });

  it("counts an element the schema does not know, and an empty text run, as nothing", () => {
    const source = new Y.Doc();
    const title = new Y.XmlElement("title");
    title.insert(0, [new Y.XmlText("Title")]);
    const alien = new Y.XmlElement("marquee");
    alien.insert(0, [new Y.XmlText("nobody renders this")]);
    const paragraph = new Y.XmlElement("paragraph");
    const reference = new Y.XmlElement("footnoteReference");
    paragraph.insert(0, [new Y.XmlText("Text"), reference, new Y.XmlText(""), new Y.XmlText("more")]);
    source.getXmlFragment(ROOT_TYPES.text).insert(0, [title, alien, paragraph]);
    // Rendering is not read-only: y-tiptap deletes elements it cannot render
    // and merges adjacent text runs of its own client. Render a copy, as a
    // peer would, and keep this state as it came over the wire.
    const { doc, fragment } = cloneDoc(source);
    const mapper = createPositionMapper(doc, fragment);
    const rendered = cloneDoc(doc);
    const pmDoc = yXmlFragmentToProseMirrorRootNode(rendered.fragment, schema);

    expect(pmDoc.textContent).toBe("TitleTextmore");
    expectRoundTrips(doc, fragment, pmDoc, mapper);
    const alienText = (fragment.get(1) as Y.XmlElement).get(0) as Y.XmlText;
    expect(mapper.toPmPos(Y.createRelativePositionFromTypeIndex(alienText, 3))).toBeNull();
  });
});

describe("relative positions that do not resolve", () => {
  const { doc, fragment } = seedTextRoom(ESSAY.content);
  const mapper = createPositionMapper(doc, fragment);
  const clientId = doc.clientID;
  const annotations = doc.getMap(ROOT_TYPES.annotations);
  annotations.set("x", "y");
  const foreign = new Y.Doc();
  foreign.getXmlFragment(ROOT_TYPES.text).insert(0, [new Y.XmlText("elsewhere")]);

  it.each([
    ["an unknown client", new Y.RelativePosition(null, null, Y.createID(clientId + 1, 0), 0)],
    [
      "a clock this document has not reached",
      new Y.RelativePosition(null, null, Y.createID(clientId, 1e9), 0),
    ],
    ["a negative clock", new Y.RelativePosition(null, null, Y.createID(clientId, -1), 0)],
    ["another root type", Y.createRelativePositionFromTypeIndex(annotations, 0)],
    ["a root type that does not exist", new Y.RelativePosition(null, "nothing", null, 0)],
    ["no type and no item", new Y.RelativePosition(null, null, null, 0)],
    [
      "an item of another document",
      Y.createRelativePositionFromTypeIndex(foreign.getXmlFragment(ROOT_TYPES.text), 0),
    ],
  ])("returns null for %s", (_name, rel) => {
    expect(mapper.toPmPos(rel)).toBeNull();
  });

  it("returns null for text whose paragraph was deleted", () => {
    const session = new EditingSession(doc, fragment);
    const { from } = findRange(session.pmDoc, "Vyshinsky");
    const rel = mapper.toRelative(from, 0);
    session.edit((tr) => {
      const $pos = session.pmDoc.resolve(from);
      tr.delete($pos.before(1), $pos.after(1));
    });
    expect(createPositionMapper(doc, fragment).toPmPos(rel)).toBeNull();
  });
});
