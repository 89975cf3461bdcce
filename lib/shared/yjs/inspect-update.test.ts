import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { COMMENT_BODY_LIMITS } from "../comments/comment-body";
import { sanitizeCommentBody } from "../comments/sanitize-comment-body";
import {
  DEFAULT_VALUE_LIMITS,
  inspectUpdate,
  withoutOffendingValues,
  type UpdateInspection,
  type ValueContentKind,
} from "./inspect-update";
import { deepAnyBytes, deepJson, deepValueUpdate, rawItemsUpdate } from "./update-test-kit";

const LIMIT = DEFAULT_VALUE_LIMITS.maxValueDepth;
const KINDS: ValueContentKind[] = ["any", "json", "embed", "format", "doc"];

function readable(inspection: UpdateInspection) {
  if (!inspection.isReadable) throw new Error(`unreadable: ${inspection.detail}`);
  return inspection;
}

/** Every update a small Tiptap-like editing session produces, merged. */
function ordinaryEdits(): Uint8Array {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on("update", (update: Uint8Array) => updates.push(update));
  const fragment = doc.getXmlFragment("text");
  const paragraph = new Y.XmlElement("paragraph");
  fragment.insert(0, [paragraph]);
  paragraph.setAttribute("data-id", "p1");
  const heading = new Y.XmlElement("heading");
  // y-prosemirror stores node attributes as they are: numbers too.
  (heading as unknown as Y.XmlElement<{ level: number }>).setAttribute("level", 2);
  fragment.insert(1, [heading]);
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  text.insert(0, "Hello, wörld 🧪 and more");
  text.format(0, 5, { bold: true, link: { href: "https://example.org", target: null } });
  text.insertEmbed(3, { image: { src: "x.png" } });
  text.delete(5, 2);
  const map = doc.getMap<unknown>("annotations");
  map.set("a", {
    quote: "Hello",
    anchor: { start: [1, 2], end: [3, 4] },
    n: 1.5,
    big: 12n,
    bytes: new Uint8Array(3),
  });
  map.set("u", undefined);
  const array = doc.getArray<unknown>("list");
  array.push([1, "two", null, true, false, { three: [3] }]);
  array.insert(0, [new Y.Map()]);
  return Y.mergeUpdates(updates);
}

describe("inspecting an update's embedded values", () => {
  it("reads ordinary edits (text, marks, embeds, attributes, maps, deletions) exactly as Yjs does", () => {
    const update = ordinaryEdits();
    const inspection = readable(inspectUpdate(update));
    expect(inspection.offences).toEqual([]);
    expect(inspection.structs).toBe(Y.decodeUpdate(update).structs.length);
  });

  it.each(KINDS)("accepts a %s value nested exactly to the limit, and Yjs decodes it", (kind) => {
    const update = deepValueUpdate(kind, LIMIT);
    const inspection = readable(inspectUpdate(update));
    expect(inspection.offences).toEqual([]);
    expect(inspection.deepestValue).toBe(LIMIT);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, update);
    expect(Y.decodeUpdate(update).structs).toHaveLength(1);
    expect(Y.decodeStateVector(Y.encodeStateVector(doc))).toEqual(new Map([[7_777, 1]]));
  });

  it.each(
    KINDS.flatMap((kind) => [LIMIT + 1, 5_000, 15_000, 100_000].map((depth) => [kind, depth] as const)),
  )("refuses a %s value nested %i levels deep, without recursing", (kind, depth) => {
    const inspection = readable(inspectUpdate(deepValueUpdate(kind, depth)));
    expect(inspection.offences).toMatchObject([
      { reason: "too-deep", kind, client: 7_777, clock: 0, length: 1 },
    ]);
    expect(inspection.offences[0]?.detail).toContain(`nested ${depth} levels deep`);
  });

  it.each([LIMIT + 1, 5_000, 15_000, 100_000])(
    "finds a value nested %i levels deep among ordinary structs of a merged multi-struct update",
    (depth) => {
      const items = KINDS.map((kind) => ({
        kind,
        value: kind === "any" || kind === "doc" ? deepAnyBytes(3) : deepJson(3),
        root: "ok",
        key: kind === "doc" ? `k-${kind}` : undefined,
      }));
      // The deep value sits in the middle of one client's run of structs, after an ordinary session's.
      items.splice(2, 0, { kind: "any", value: deepAnyBytes(depth), root: "poison", key: undefined });
      const handMade = rawItemsUpdate(9, items);
      // Yjs's own merge decodes recursively and overflows on the deep ones: those stay hand-merged.
      const update = depth <= LIMIT + 1 ? Y.mergeUpdates([ordinaryEdits(), handMade]) : handMade;
      const inspection = readable(inspectUpdate(update));
      expect(inspection.offences).toMatchObject([{ reason: "too-deep", kind: "any", client: 9, clock: 2 }]);
    },
  );

  it("bounds a value's size, whatever its depth", () => {
    const big = deepJson(1).replace("[]", `["${"x".repeat(DEFAULT_VALUE_LIMITS.maxValueBytes)}"]`);
    const inspection = readable(inspectUpdate(rawItemsUpdate(3, [{ kind: "json", value: big, root: "r" }])));
    expect(inspection.offences).toMatchObject([{ reason: "too-large", kind: "json" }]);
  });

  it("counts JSON brackets only outside strings", () => {
    const value = JSON.stringify({ text: "[".repeat(500) + '\\"{{{' + "]".repeat(3) });
    const inspection = readable(inspectUpdate(rawItemsUpdate(3, [{ kind: "embed", value, root: "r" }])));
    expect(inspection).toMatchObject({ offences: [], deepestValue: 1 });
  });

  it("reports JSON that Yjs could not parse", () => {
    const inspection = readable(
      inspectUpdate(rawItemsUpdate(3, [{ kind: "format", value: "{bold: true}", root: "r" }])),
    );
    expect(inspection.offences).toMatchObject([{ reason: "invalid-json", kind: "format" }]);
  });

  it.each([
    ["a truncated update", ordinaryEdits().slice(0, 40)],
    ["an unknown content ref", Uint8Array.of(1, 1, 5, 0, 0x0b, 1, 1, 0x61, 0)],
    ["an unknown value type", rawItemsUpdate(3, [{ kind: "any", value: Uint8Array.of(3), root: "r" }])],
    ["an unknown type ref", Uint8Array.of(1, 1, 5, 0, 7, 1, 1, 0x61, 9, 0)],
    ["a string that is not UTF-8", Uint8Array.of(1, 1, 5, 0, 4, 1, 1, 0x61, 2, 0xc3, 0x28, 0)],
    ["a length past the end", Uint8Array.of(1, 1, 5, 0, 3, 1, 1, 0x61, 0xff, 0x7f)],
  ])("calls %s unreadable", (_name, bytes) => {
    expect(inspectUpdate(bytes)).toMatchObject({ isReadable: false });
  });

  it("lets through the deepest and largest comment body the comment sanitizer accepts, as the seminar room stores it", () => {
    const text = (value: string) => ({
      type: "text",
      text: value,
      marks: [
        { type: "bold" },
        { type: "link", attrs: { href: "https://example.org/" + "p".repeat(2_000) } },
      ],
    });
    let block: unknown = { type: "paragraph", content: [text("deep")] };
    for (let level = 0; level < COMMENT_BODY_LIMITS.maxDepth; level++)
      block = {
        type: "bulletList",
        content: [{ type: "listItem", content: [{ type: "paragraph", content: [text("item")] }, block] }],
      };
    // Then as many of the longest paragraphs as the text and node limits allow, in three-byte characters.
    const paragraphs = Array.from({ length: 9 }, () => ({
      type: "paragraph",
      content: [text("語".repeat(1_000))],
    }));
    const { body } = sanitizeCommentBody({ type: "doc", content: [block, ...paragraphs] });
    const doc = new Y.Doc();
    // lib/server/annotations/projection.ts stores each comment as one plain object (a ContentAny).
    doc
      .getMap("comments")
      .set("c1", { id: "c1", annotationId: "a1", body, createdAt: new Date(0).toISOString() });
    const inspection = readable(inspectUpdate(Y.encodeStateAsUpdate(doc)));
    expect(inspection.offences).toEqual([]);
    expect(inspection.deepestValue).toBeLessThanOrEqual(LIMIT);
    console.log(`deepest accepted comment body nests ${inspection.deepestValue} levels as stored`);
  });

  it("repairs an update by turning each offending item into deleted content of the same length", () => {
    const update = rawItemsUpdate(5, [
      { kind: "any", value: deepAnyBytes(2), root: "list" },
      { kind: "any", value: deepAnyBytes(100_000), root: "list" },
      { kind: "json", value: deepJson(20_000), root: "list" },
      { kind: "any", value: deepAnyBytes(1), root: "list" },
    ]);
    const inspection = readable(inspectUpdate(update));
    expect(inspection.offences).toHaveLength(2);
    const repaired = withoutOffendingValues(update, inspection.offences);
    expect(readable(inspectUpdate(repaired)).offences).toEqual([]);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, repaired);
    // The ids stay (so later updates still integrate); only the values are gone.
    expect(Y.decodeStateVector(Y.encodeStateVector(doc))).toEqual(new Map([[5, 4]]));
    // (Items without origins each went to the front: the surviving two read in reverse.)
    expect(doc.getArray("list").toJSON()).toEqual([[], [[]]]);
  });
});
