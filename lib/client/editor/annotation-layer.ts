/**
 * Annotations in the text as ProseMirror decorations (never marks: the text
 * room holds the text only). Anchors are resolved from their Yjs relative
 * positions when the text changes remotely (a Yjs-origin transaction: all of
 * them) or new threads arrive (only those), and the ranges and decorations
 * are mapped through local transactions (docs/architecture.md §3).
 * Overlapping highlights are cut into segments, each carrying the ids of
 * every annotation over it, so layers and counts stay legible
 * (highlight-segments.ts, shared with the server's first paint). The focused
 * thread is drawn by a second, one-decoration set, so hover and caret moves
 * do not rebuild the highlights of the whole discussion.
 */
import { Extension } from "@tiptap/core";
import type { Node as PMNode } from "@tiptap/pm/model";
import { Plugin, PluginKey, type Transaction } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import { ySyncPluginKey } from "@tiptap/y-tiptap";
import type * as Y from "yjs";
import { createAnchorResolver } from "@/lib/shared/anchors/anchor";
import { highlightSegments, type PlacedThread } from "@/lib/shared/annotations/highlight-segments";
import type { Thread } from "@/lib/shared/annotations/threads";

/** Where an annotation lies in the current text. */
export type ResolvedRange = { from: number; to: number } | null;

/** What the layer draws. */
export type LayerInput = {
  /** Threads to draw (already filtered). */
  threads: Thread[];
  /** Category id → colour. */
  colors: Record<string, string>;
  /** The thread in focus (drawn stronger). */
  activeId: string | null;
  /**
   * The threads are the server's preview of the first screen's passages (the
   * seminar room has not synced): drawn, marked `hl-preview`, but their ranges
   * are not reported, and none is reused once the room's threads come.
   */
  isPreview?: boolean;
};

type LayerState = {
  input: LayerInput;
  ranges: Map<string, ResolvedRange>;
  /** Every drawn annotation, without the focus. */
  decorations: DecorationSet;
  /** The focused thread's passage, drawn over the others. */
  focus: DecorationSet;
};

/** The plugin's key; dispatch `tr.setMeta(annotationLayerKey, input)` to change what it draws. */
export const annotationLayerKey = new PluginKey<LayerState>("annotationLayer");

const EMPTY_INPUT: LayerInput = { threads: [], colors: {}, activeId: null };

/** Options of {@link AnnotationLayer}. */
export type AnnotationLayerOptions = {
  /** The text room's document and fragment (anchors refer to their items). */
  ydoc: Y.Doc | null;
  fragment: Y.XmlFragment | null;
  /** Called after each change of the resolved ranges (null range: orphaned). */
  onResolved: (ranges: Map<string, ResolvedRange>) => void;
  /** Called with the ids under the pointer (empty when it leaves). */
  onHover: (ids: string[]) => void;
};

function resolveAll(options: AnnotationLayerOptions, doc: PMNode, threads: Thread[]) {
  return resolveInto(new Map(), options, doc, threads);
}

/**
 * Adds the ranges of the threads `ranges` does not know yet (new threads:
 * anchors never change, only the text under them, which the other paths
 * handle). Returns `ranges` itself when nothing was new, so the margin is
 * not told about a change that did not happen.
 */
function resolveNew(
  ranges: Map<string, ResolvedRange>,
  options: AnnotationLayerOptions,
  doc: PMNode,
  threads: Thread[],
) {
  const fresh = threads.filter((thread) => !ranges.has(thread.id));
  if (fresh.length === 0) return ranges;
  return resolveInto(new Map(ranges), options, doc, fresh);
}

function resolveInto(
  ranges: Map<string, ResolvedRange>,
  options: AnnotationLayerOptions,
  doc: PMNode,
  threads: Thread[],
) {
  const { ydoc, fragment } = options;
  if (!ydoc || !fragment) {
    for (const thread of threads) ranges.set(thread.id, null);
    return ranges;
  }
  // One text index and position map for all anchors of this document state.
  const resolve = createAnchorResolver({ doc: ydoc, fragment, pmDoc: doc });
  for (const thread of threads) {
    const resolved = resolve(thread.anchor);
    ranges.set(thread.id, resolved.status === "anchored" ? { from: resolved.from, to: resolved.to } : null);
  }
  return ranges;
}

function mapRanges(ranges: Map<string, ResolvedRange>, tr: Transaction) {
  const mapped = new Map<string, ResolvedRange>();
  for (const [id, range] of ranges) {
    if (!range) {
      mapped.set(id, null);
      continue;
    }
    const from = tr.mapping.map(range.from, 1);
    const to = tr.mapping.map(range.to, -1);
    mapped.set(id, from < to ? { from, to } : null);
  }
  return mapped;
}

/** The threads' highlights as inline decorations (cut into segments: highlight-segments.ts). */
function decorate(doc: PMNode, input: LayerInput, ranges: Map<string, ResolvedRange>): DecorationSet {
  const placed: PlacedThread[] = [];
  for (const thread of input.threads) {
    const range = ranges.get(thread.id);
    if (range) placed.push({ thread, from: range.from, to: range.to });
  }
  const segments = highlightSegments(placed, input.colors, { isPreview: input.isPreview });
  return DecorationSet.create(
    doc,
    segments.map((segment) => Decoration.inline(segment.from, segment.to, segment.attrs)),
  );
}

/** The focused thread's passage (ProseMirror merges its class into the highlight's spans). */
function decorateFocus(doc: PMNode, input: LayerInput, ranges: Map<string, ResolvedRange>): DecorationSet {
  const range = input.activeId ? ranges.get(input.activeId) : null;
  const isDrawn = range && input.threads.some((thread) => thread.id === input.activeId);
  if (!range || !isDrawn) return DecorationSet.empty;
  return DecorationSet.create(doc, [Decoration.inline(range.from, range.to, { class: "hl-active" })]);
}

/** The annotation layer extension. */
export const AnnotationLayer = Extension.create<AnnotationLayerOptions>({
  name: "annotationLayer",
  addOptions: () => ({ ydoc: null, fragment: null, onResolved: () => {}, onHover: () => {} }),
  addProseMirrorPlugins() {
    const options = this.options;
    return [
      new Plugin<LayerState>({
        key: annotationLayerKey,
        state: {
          init: (_config, state) => ({
            input: EMPTY_INPUT,
            ranges: new Map(),
            decorations: DecorationSet.create(state.doc, []),
            focus: DecorationSet.empty,
          }),
          apply(tr, previous, _oldState, newState) {
            const input = tr.getMeta(annotationLayerKey) as LayerInput | undefined;
            const isRemote = tr.docChanged && tr.getMeta(ySyncPluginKey) !== undefined;
            const current = input ?? previous.input;
            // The text changed under the anchors elsewhere: resolve them all again.
            if (isRemote) {
              const ranges = resolveAll(options, newState.doc, current.threads);
              return {
                input: current,
                ranges,
                decorations: decorate(newState.doc, current, ranges),
                focus: decorateFocus(newState.doc, current, ranges),
              };
            }
            // A local edit: everything drawn moves with the text.
            let { ranges, decorations, focus } = previous;
            if (tr.docChanged) {
              ranges = mapRanges(ranges, tr);
              decorations = decorations.map(tr.mapping, tr.doc);
              focus = focus.map(tr.mapping, tr.doc);
            }
            if (!input) return tr.docChanged ? { input: current, ranges, decorations, focus } : previous;
            // New input: anchor only the threads not seen before (all of them when the preview
            // comes or goes: a preview's anchor is not the room's); redraw only what changed.
            if (input.threads !== previous.input.threads || input.colors !== previous.input.colors) {
              ranges =
                Boolean(input.isPreview) === Boolean(previous.input.isPreview)
                  ? resolveNew(ranges, options, newState.doc, input.threads)
                  : resolveAll(options, newState.doc, input.threads);
              decorations = decorate(newState.doc, input, ranges);
              focus = decorateFocus(newState.doc, input, ranges);
            } else if (input.activeId !== previous.input.activeId) {
              focus = decorateFocus(newState.doc, input, ranges);
            }
            return { input, ranges, decorations, focus };
          },
        },
        view: () => {
          let last: Map<string, ResolvedRange> | null = null;
          return {
            update(view) {
              const state = annotationLayerKey.getState(view.state);
              if (state && !state.input.isPreview && state.ranges !== last) {
                last = state.ranges;
                options.onResolved(state.ranges);
              }
            },
          };
        },
        props: {
          decorations: (state) => annotationLayerKey.getState(state)?.decorations,
          handleDOMEvents: {
            mouseover: (_view, event) => {
              const target = (event.target as HTMLElement | null)?.closest?.("[data-annotations]");
              options.onHover(
                target ? (target.getAttribute("data-annotations") ?? "").split(" ").filter(Boolean) : [],
              );
              return false;
            },
            mouseleave: () => {
              options.onHover([]);
              return false;
            },
          },
        },
      }),
      // The focus as its own small set: moving it (hover, caret, a card) redraws one passage, not all.
      new Plugin({
        props: { decorations: (state) => annotationLayerKey.getState(state)?.focus },
      }),
    ];
  },
});

/** The annotations whose range contains `pos` (innermost first). */
export function annotationsAt(ranges: Map<string, ResolvedRange>, pos: number): string[] {
  return [...ranges]
    .filter(([, range]) => range && range.from <= pos && pos <= range.to)
    .sort(
      ([, a], [, b]) =>
        (a as { from: number; to: number }).to -
        (a as { from: number }).from -
        ((b as { from: number; to: number }).to - (b as { from: number }).from),
    )
    .map(([id]) => id);
}
