/**
 * Annotations in the text as ProseMirror decorations (never marks: the text
 * room holds the text only). Anchors are resolved from their Yjs relative
 * positions when the text changes remotely (a Yjs-origin transaction: all of
 * them) or new threads arrive (only those), and the ranges and decorations
 * are mapped through local transactions (docs/architecture.md §3).
 * Overlapping highlights are cut into segments, each carrying the ids of
 * every annotation over it, so layers and counts stay legible. The focused
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

function kindClass(thread: Thread): string {
  if (thread.layer === "private") return "hl-note";
  if (thread.kind === "GUIDING_QUESTION") return "hl-question";
  if (thread.kind === "COMMENT") return "hl-comment";
  return "hl-highlight";
}

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

/**
 * Cuts the ranges into segments and decorates each with every annotation
 * over it. One sweep over the sorted range ends, keeping the annotations
 * open at each point: O(n log n + segments × depth), where filtering every
 * annotation per segment was O(n²) once each thread had its own passage.
 */
function decorate(doc: PMNode, input: LayerInput, ranges: Map<string, ResolvedRange>): DecorationSet {
  type Live = { thread: Thread; from: number; to: number };
  const events: { pos: number; entry: Live; isStart: boolean }[] = [];
  for (const thread of input.threads) {
    const range = ranges.get(thread.id);
    if (!range) continue;
    const entry = { thread, from: range.from, to: range.to };
    events.push({ pos: range.from, entry, isStart: true }, { pos: range.to, entry, isStart: false });
  }
  events.sort((a, b) => a.pos - b.pos);
  const decorations: Decoration[] = [];
  // Newest on top: its colour fills, older layers show as underlines and in the count.
  let open: Live[] = [];
  let previousCount = 0;
  let i = 0;
  while (i < events.length) {
    const from = (events[i] as (typeof events)[number]).pos;
    let changed = false;
    for (; i < events.length && (events[i] as (typeof events)[number]).pos === from; i++) {
      const event = events[i] as (typeof events)[number];
      if (event.isStart) open.push(event.entry);
      else open = open.filter((entry) => entry !== event.entry);
      changed = true;
    }
    if (changed) open.sort((a, b) => b.thread.createdAt.localeCompare(a.thread.createdAt));
    const to = events[i]?.pos;
    if (to === undefined || open.length === 0) {
      previousCount = 0;
      continue;
    }
    const top = (open[0] as Live).thread;
    const color = top.categoryId ? input.colors[top.categoryId] : undefined;
    const classes = ["hl", kindClass(top), open.length > 1 ? "hl-multi" : ""].filter(Boolean);
    const names = [...new Set(open.map((entry) => entry.thread.author.name))];
    decorations.push(
      Decoration.inline(from, to, {
        class: classes.join(" "),
        "data-annotations": open.map((entry) => entry.thread.id).join(" "),
        ...(open.length > 1 && open.length !== previousCount ? { "data-count": String(open.length) } : {}),
        style: `--hl-color: ${color ?? "var(--hl-default)"}; --hl-layers: ${Math.min(open.length, 4)}`,
        title: `${names.join(", ")}${open.length > 1 ? ` · ${open.length} annotations` : ""}`,
      }),
    );
    previousCount = open.length;
  }
  return DecorationSet.create(doc, decorations);
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
            // New input: anchor only the threads not seen before; redraw only what changed.
            if (input.threads !== previous.input.threads || input.colors !== previous.input.colors) {
              ranges = resolveNew(ranges, options, newState.doc, input.threads);
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
              if (state && state.ranges !== last) {
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
