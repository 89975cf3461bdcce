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
 *
 * A large discussion (over THREADS_DRAWN_AT_ONCE threads) is drawn in steps,
 * a task each (docs/adr/0039): its anchors resolved in the first, then its
 * highlights a batch at a time, from the screen the reader is on.
 * What was drawn before stays until the first step replaces it.
 */
import { Extension } from "@tiptap/core";
import type { Node as PMNode } from "@tiptap/pm/model";
import { Plugin, PluginKey, type Transaction } from "@tiptap/pm/state";
import { Mapping } from "@tiptap/pm/transform";
import { Decoration, DecorationSet, type EditorView } from "@tiptap/pm/view";
import { ySyncPluginKey } from "@tiptap/y-tiptap";
import type * as Y from "yjs";
import { createAnchorResolver } from "@/lib/shared/anchors/anchor";
import {
  highlightSegments,
  type HighlightSegment,
  type PlacedThread,
} from "@/lib/shared/annotations/highlight-segments";
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

/**
 * Above this many threads, the layer draws in steps, a task each: in one task, 10,000 threads'
 * anchors, highlights and their DOM took ~130 ms on the bench's machine, on top of the render
 * that brought them.
 */
export const THREADS_DRAWN_AT_ONCE = 1_000;
/** Highlight segments drawn per step (their DOM is most of a step's time). */
export const SEGMENTS_PER_STEP = 1_000;

/** What is left to draw of a large discussion; null when everything is drawn. */
type Drawing =
  | {
      /** The anchors are still to resolve: all of them (the text changed elsewhere) or the new threads'. */
      kind: "resolve";
      all: boolean;
    }
  | {
      kind: "draw";
      /** The highlights to draw, starting at the screen's; `next` is the first not drawn. */
      segments: HighlightSegment[];
      next: number;
      /** Local edits since the segments were cut: their positions are mapped through these. */
      mapping: Mapping;
      /** The first step replaces what was drawn before; the next ones add to it. */
      isFirst: boolean;
    };

/** The meta of a drawing step (the view dispatches them): `near`, the position at the top of the screen. */
export const DRAW_STEP = "annotationLayer:drawStep";
type DrawStep = { near: number };

type LayerState = {
  input: LayerInput;
  ranges: Map<string, ResolvedRange>;
  /** Every drawn annotation, without the focus. */
  decorations: DecorationSet;
  /** The focused thread's passage, drawn over the others. */
  focus: DecorationSet;
  drawing: Drawing | null;
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

/** The threads' highlights, cut into segments (highlight-segments.ts). */
function segmentsOf(input: LayerInput, ranges: Map<string, ResolvedRange>): HighlightSegment[] {
  const placed: PlacedThread[] = [];
  for (const thread of input.threads) {
    const range = ranges.get(thread.id);
    if (range) placed.push({ thread, from: range.from, to: range.to });
  }
  return highlightSegments(placed, input.colors, { isPreview: input.isPreview });
}

/** The threads' highlights as inline decorations. */
function decorate(doc: PMNode, input: LayerInput, ranges: Map<string, ResolvedRange>): DecorationSet {
  return DecorationSet.create(
    doc,
    segmentsOf(input, ranges).map((segment) => Decoration.inline(segment.from, segment.to, segment.attrs)),
  );
}

function isLarge(input: LayerInput): boolean {
  return input.threads.length > THREADS_DRAWN_AT_ONCE;
}

/** The segments (sorted by position) from the first that ends after `near`, then those before it. */
function startingAt(segments: HighlightSegment[], near: number): HighlightSegment[] {
  let low = 0;
  let high = segments.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((segments[middle] as HighlightSegment).to <= near) low = middle + 1;
    else high = middle;
  }
  return low === 0 ? segments : [...segments.slice(low), ...segments.slice(0, low)];
}

/**
 * One step of a large discussion's drawing: its anchors resolved and its highlights cut if
 * that is still to do, else the next SEGMENTS_PER_STEP highlights drawn.
 */
function drawStep(
  state: LayerState,
  options: AnnotationLayerOptions,
  doc: PMNode,
  near: number,
): Pick<LayerState, "ranges" | "decorations" | "focus" | "drawing"> {
  let { ranges, decorations, focus, drawing } = state;
  if (!drawing) return { ranges, decorations, focus, drawing };
  if (drawing.kind === "resolve") {
    const { input } = state;
    ranges = drawing.all
      ? resolveAll(options, doc, input.threads)
      : resolveNew(ranges, options, doc, input.threads);
    focus = decorateFocus(doc, input, ranges);
    const segments = startingAt(segmentsOf(input, ranges), near);
    // Drawn from the next step on: resolving and cutting 10,000 threads is a task's worth.
    return {
      ranges,
      decorations,
      focus,
      drawing: { kind: "draw", segments, next: 0, mapping: new Mapping(), isFirst: true },
    };
  }
  const end = Math.min(drawing.next + SEGMENTS_PER_STEP, drawing.segments.length);
  const batch: Decoration[] = [];
  for (let index = drawing.next; index < end; index++) {
    const segment = drawing.segments[index] as HighlightSegment;
    const from = drawing.mapping.map(segment.from, 1);
    const to = drawing.mapping.map(segment.to, -1);
    if (from < to) batch.push(Decoration.inline(from, to, segment.attrs));
  }
  decorations = drawing.isFirst ? DecorationSet.create(doc, batch) : decorations.add(doc, batch);
  drawing = end < drawing.segments.length ? { ...drawing, next: end, isFirst: false } : null;
  return { ranges, decorations, focus, drawing };
}

/** The position at the top of the text's part of the screen (0 when the text is not laid out). */
function firstVisiblePosition(view: EditorView): number {
  const box = view.dom.getBoundingClientRect();
  if (box.height === 0 || box.bottom <= 0) return 0;
  const top = Math.min(Math.max(box.top, 0) + 1, box.bottom - 1);
  return view.posAtCoords({ left: box.left + box.width / 2, top })?.pos ?? 0;
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
            drawing: null,
          }),
          apply(tr, previous, _oldState, newState) {
            const input = tr.getMeta(annotationLayerKey) as LayerInput | undefined;
            const step = tr.getMeta(DRAW_STEP) as DrawStep | undefined;
            if (!input && !step && !tr.docChanged) return previous;
            const isRemote = tr.docChanged && tr.getMeta(ySyncPluginKey) !== undefined;
            const current = input ?? previous.input;
            let { ranges, decorations, focus, drawing } = previous;
            // A resolution still to do for all anchors (the text changed elsewhere) stays one.
            const mustResolveAll = drawing?.kind === "resolve" && drawing.all;
            // The text changed under the anchors elsewhere: resolve them all again.
            if (isRemote && !isLarge(current)) {
              ranges = resolveAll(options, newState.doc, current.threads);
              return {
                input: current,
                ranges,
                decorations: decorate(newState.doc, current, ranges),
                focus: decorateFocus(newState.doc, current, ranges),
                drawing: null,
              };
            }
            if (tr.docChanged) {
              // What is drawn moves with the text until it is drawn again.
              decorations = decorations.map(tr.mapping, tr.doc);
              focus = focus.map(tr.mapping, tr.doc);
              if (isRemote) {
                // A large discussion: resolved and drawn again in steps. The ranges stay as they
                // were until then (mapped through a remote change, a passage can collapse).
                drawing = { kind: "resolve", all: true };
              } else {
                // A local edit: everything drawn, and everything still to draw, moves with the text.
                ranges = mapRanges(ranges, tr);
                if (drawing?.kind === "draw")
                  drawing = {
                    ...drawing,
                    mapping: new Mapping([...drawing.mapping.maps, ...tr.mapping.maps]),
                  };
              }
            }
            // New input: anchor only the threads not seen before (all of them when the preview
            // comes or goes: a preview's anchor is not the room's); redraw only what changed.
            if (
              input &&
              (input.threads !== previous.input.threads || input.colors !== previous.input.colors)
            ) {
              const all = mustResolveAll || Boolean(input.isPreview) !== Boolean(previous.input.isPreview);
              if (isLarge(input)) {
                drawing = { kind: "resolve", all };
              } else {
                ranges = all
                  ? resolveAll(options, newState.doc, input.threads)
                  : resolveNew(ranges, options, newState.doc, input.threads);
                decorations = decorate(newState.doc, input, ranges);
                focus = decorateFocus(newState.doc, input, ranges);
                drawing = null;
              }
            } else if (input && input.activeId !== previous.input.activeId) {
              focus = decorateFocus(newState.doc, input, ranges);
            }
            const next = { input: current, ranges, decorations, focus, drawing };
            return step ? { ...next, ...drawStep(next, options, newState.doc, step.near) } : next;
          },
        },
        view: (view) => {
          let last: Map<string, ResolvedRange> | null = null;
          // A large discussion's next drawing step, in a task of its own.
          let pendingStep: ReturnType<typeof setTimeout> | undefined;
          const drawNext = () => {
            pendingStep = undefined;
            const state = view.isDestroyed ? undefined : annotationLayerKey.getState(view.state);
            if (!state?.drawing) return;
            // The screen's position is read once, before the first step; the page is laid out then.
            const near = state.drawing.kind === "resolve" ? firstVisiblePosition(view) : 0;
            view.dispatch(view.state.tr.setMeta(DRAW_STEP, { near } satisfies DrawStep));
          };
          return {
            update(current) {
              const state = annotationLayerKey.getState(current.state);
              if (!state) return;
              // Reported once resolved for what is drawn now: not a preview's, and not while the
              // anchors of a large discussion's new input are still to resolve (the ranges then
              // are the input's before, a preview's among them).
              const isResolved = !state.input.isPreview && state.drawing?.kind !== "resolve";
              if (isResolved && state.ranges !== last) {
                last = state.ranges;
                options.onResolved(state.ranges);
              }
              if (state.drawing && pendingStep === undefined) pendingStep = setTimeout(drawNext, 0);
            },
            destroy() {
              clearTimeout(pendingStep);
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
