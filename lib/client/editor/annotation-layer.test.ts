/**
 * The annotation layer's state, driven as the editor drives it (transactions
 * with its input, its drawing steps, local edits), on the essay's real text
 * room: a small discussion is drawn in the transaction that brings it, a large
 * one in steps that start at the screen and end with exactly what drawing it at
 * once gives. No view: the steps a view would schedule are dispatched here.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { getExtensionField, type AnyConfig } from "@tiptap/core";
import { EditorState, type Plugin } from "@tiptap/pm/state";
import type { Decoration, DecorationSet } from "@tiptap/pm/view";
import { describe, expect, it } from "vitest";
import { createAnchor } from "@/lib/shared/anchors/anchor";
import { EditingSession, seedTextRoom } from "@/lib/shared/anchors/anchor-test-kit";
import { buildTextIndex } from "@/lib/shared/anchors/text-index";
import { createPositionMapper } from "@/lib/shared/anchors/y-positions";
import { highlightSegments, type PlacedThread } from "@/lib/shared/annotations/highlight-segments";
import type { Thread } from "@/lib/shared/annotations/threads";
import { importText } from "@/lib/shared/documents/import-text";
import { getReadingSchema } from "@/lib/shared/schema/reading-schema";
import {
  AnnotationLayer,
  annotationLayerKey,
  DRAW_STEP,
  SEGMENTS_PER_STEP,
  THREADS_DRAWN_AT_ONCE,
  type LayerInput,
} from "./annotation-layer";

const ESSAY = importText(
  readFileSync(
    path.resolve(import.meta.dirname, "../../../content/texts/trotsky-guest-of-the-revolution.txt"),
    "utf8",
  ),
);

/** The essay's text room, and `count` threads anchored on passages of 2–12 words spread over it. */
function setUp(count: number) {
  const { doc, fragment } = seedTextRoom(ESSAY.content);
  const session = new EditingSession(doc, fragment);
  const pmDoc = session.pmDoc;
  const index = buildTextIndex(pmDoc);
  const mapper = createPositionMapper(doc, fragment, getReadingSchema());
  const words: { from: number; to: number }[] = [];
  pmDoc.descendants((node, pos) => {
    if (!node.isText) return;
    for (const match of (node.text ?? "").matchAll(/\S+/g))
      words.push({ from: pos + match.index, to: pos + match.index + match[0].length });
  });
  const threads: Thread[] = [];
  for (let i = 0; i < count; i++) {
    const first = Math.floor((i * 7919) % words.length);
    const last = Math.min(words.length - 1, first + 1 + (i % 11));
    const from = (words[first] as { from: number }).from;
    const to = (words[last] as { to: number }).to;
    if (from >= to) continue;
    threads.push({
      id: `t${i}`,
      kind: i % 3 === 0 ? "HIGHLIGHT" : "COMMENT",
      layer: "seminar",
      author: { id: "u1", name: "Ana", role: "STUDENT" },
      categoryId: null,
      anchor: createAnchor({ doc, fragment, pmDoc, from, to, index, mapper }),
      pinned: false,
      resolvedAt: null,
      resolvedByName: null,
      createdAt: new Date(Date.UTC(2026, 11, 1, 10, 0, i)).toISOString(),
      updatedAt: new Date(Date.UTC(2026, 11, 1, 10, 0, i)).toISOString(),
      comments: [],
      status: "committed",
    } as unknown as Thread);
  }
  const extension = AnnotationLayer.configure({
    ydoc: doc,
    fragment,
    onResolved: () => {},
    onHover: () => {},
  });
  const plugins = getExtensionField<AnyConfig["addProseMirrorPlugins"]>(extension, "addProseMirrorPlugins", {
    name: extension.name,
    options: extension.options,
    storage: {},
  } as never)?.() as Plugin[];
  const state = EditorState.create({ schema: getReadingSchema(), doc: pmDoc, plugins });
  return { state, threads };
}

function feed(state: EditorState, threads: Thread[]): EditorState {
  const input: LayerInput = { threads, colors: {}, activeId: null };
  return state.apply(state.tr.setMeta(annotationLayerKey, input));
}

function step(state: EditorState, near = 0): EditorState {
  return state.apply(state.tr.setMeta(DRAW_STEP, { near }));
}

function layer(state: EditorState) {
  const value = annotationLayerKey.getState(state);
  if (!value) throw new Error("the annotation layer has no state");
  return value;
}

/** The drawn highlights as comparable rows, in document order. */
function drawn(decorations: DecorationSet): string[] {
  return decorations
    .find()
    .map((decoration: Decoration) => {
      const attrs = (decoration as unknown as { type: { attrs: Record<string, string> } }).type.attrs;
      return `${decoration.from}-${decoration.to} ${attrs.class} [${attrs["data-annotations"]}] ${attrs["data-count"] ?? ""}`;
    })
    .sort();
}

/** What drawing every resolved thread at once gives, from the layer's own ranges, in document order. */
function segmentsAtOnce(state: EditorState, threads: Thread[]) {
  const { ranges } = layer(state);
  const placed: PlacedThread[] = [];
  for (const thread of threads) {
    const range = ranges.get(thread.id);
    if (range) placed.push({ thread, from: range.from, to: range.to });
  }
  return highlightSegments(placed, {}).map((segment) => {
    const { attrs } = segment;
    const row = `${segment.from}-${segment.to} ${attrs.class} [${attrs["data-annotations"]}] ${attrs["data-count"] ?? ""}`;
    return { to: segment.to, row };
  });
}

function drawnAtOnce(state: EditorState, threads: Thread[]): string[] {
  return segmentsAtOnce(state, threads)
    .map((segment) => segment.row)
    .sort();
}

describe("the annotation layer", () => {
  it("draws a small discussion in the transaction that brings it", () => {
    const { state, threads } = setUp(40);
    const next = feed(state, threads);
    expect(layer(next).drawing).toBeNull();
    expect(layer(next).ranges.size).toBe(threads.length);
    expect(drawn(layer(next).decorations)).toEqual(drawnAtOnce(next, threads));
    expect(drawn(layer(next).decorations).length).toBeGreaterThan(30);
  });

  it("draws a large discussion in steps, from the screen's position on, ending with what drawing it at once gives", () => {
    const { state, threads } = setUp(THREADS_DRAWN_AT_ONCE * 3);
    const small = threads.slice(0, 20);
    // The page drew a few passages first (the server's preview, or the reader's notes).
    const before = feed(state, small);
    const beforeDrawn = drawn(layer(before).decorations);
    let current = feed(before, threads);
    // The transaction that brings them leaves what was drawn as it was.
    expect(layer(current).drawing).toMatchObject({ kind: "resolve" });
    expect(drawn(layer(current).decorations)).toEqual(beforeDrawn);
    // The first step resolves every anchor; the next draws the screen's highlights first.
    const near = Math.floor(current.doc.content.size / 2);
    current = step(current, near);
    expect(layer(current).ranges.size).toBe(threads.length);
    expect(drawn(layer(current).decorations)).toEqual(beforeDrawn);
    current = step(current);
    const first = drawn(layer(current).decorations);
    expect(first.length).toBe(SEGMENTS_PER_STEP);
    // Those it drew are the ones from the screen's position on.
    const fromNear = segmentsAtOnce(current, threads)
      .filter((segment) => segment.to > near)
      .slice(0, SEGMENTS_PER_STEP)
      .map((segment) => segment.row);
    expect(fromNear.length).toBeGreaterThan(SEGMENTS_PER_STEP / 4);
    expect(first.filter((row) => fromNear.includes(row))).toHaveLength(fromNear.length);
    // The preview drawn before is gone (replaced, not added to).
    expect(drawn(layer(current).decorations).filter((row) => beforeDrawn.includes(row)).length).toBeLessThan(
      beforeDrawn.length,
    );
    let steps = 2;
    while (layer(current).drawing) {
      current = step(current);
      steps++;
      expect(steps).toBeLessThan(100);
    }
    const expected = drawnAtOnce(current, threads);
    expect(steps).toBe(1 + Math.ceil(expected.length / SEGMENTS_PER_STEP));
    expect(drawn(layer(current).decorations)).toEqual(expected);
  });

  it("moves what is still to draw with the reader's own edits between steps", () => {
    const { state, threads } = setUp(THREADS_DRAWN_AT_ONCE * 2);
    let current = step(step(feed(state, threads), 0));
    expect(layer(current).drawing).toMatchObject({ kind: "draw", next: SEGMENTS_PER_STEP });
    // The reader types at the start of the text and deletes a few characters further on.
    current = current.apply(current.tr.insertText("A first line. ", 1));
    current = current.apply(current.tr.delete(400, 420));
    while (layer(current).drawing) current = step(current);
    expect(drawn(layer(current).decorations)).toEqual(drawnAtOnce(current, threads));
  });

  it("draws at once a small input that replaces a large one being drawn, and the steps left do nothing", () => {
    const { state, threads } = setUp(THREADS_DRAWN_AT_ONCE * 2);
    let current = step(step(feed(state, threads), 0));
    const few = threads.slice(0, 10);
    current = feed(current, few);
    expect(layer(current).drawing).toBeNull();
    const after = drawn(layer(current).decorations);
    expect(after).toEqual(drawnAtOnce(current, few));
    current = step(current);
    expect(drawn(layer(current).decorations)).toEqual(after);
  });
});
