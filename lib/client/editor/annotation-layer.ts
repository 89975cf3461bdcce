/**
 * Annotations in the text as ProseMirror decorations (never marks: the text
 * room holds the text only). Anchors are resolved from their Yjs relative
 * positions whenever the text changes remotely (a Yjs-origin transaction) or
 * the set of annotations changes, and mapped through local transactions
 * (docs/architecture.md §3). Overlapping highlights are cut into segments, each carrying
 * the ids of every annotation over it, so layers and counts stay legible.
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
  decorations: DecorationSet;
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
  const ranges = new Map<string, ResolvedRange>();
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

/** Cuts the ranges into segments and decorates each with every annotation over it. */
function decorate(doc: PMNode, input: LayerInput, ranges: Map<string, ResolvedRange>): DecorationSet {
  const threads = new Map(input.threads.map((thread) => [thread.id, thread]));
  const points = new Set<number>();
  const live: { thread: Thread; from: number; to: number }[] = [];
  for (const [id, range] of ranges) {
    const thread = threads.get(id);
    if (!thread || !range) continue;
    live.push({ thread, from: range.from, to: range.to });
    points.add(range.from);
    points.add(range.to);
  }
  const sorted = [...points].sort((a, b) => a - b);
  const decorations: Decoration[] = [];
  let previousCount = 0;
  for (let i = 0; i < sorted.length - 1; i++) {
    const from = sorted[i] as number;
    const to = sorted[i + 1] as number;
    // Newest on top: its colour fills, older layers show as underlines and in the count.
    const over = live
      .filter((entry) => entry.from <= from && entry.to >= to)
      .sort((a, b) => b.thread.createdAt.localeCompare(a.thread.createdAt));
    if (over.length === 0) {
      previousCount = 0;
      continue;
    }
    const top = over[0]?.thread as Thread;
    const color = top.categoryId ? input.colors[top.categoryId] : undefined;
    const isActive = over.some((entry) => entry.thread.id === input.activeId);
    const classes = [
      "hl",
      kindClass(top),
      over.length > 1 ? "hl-multi" : "",
      isActive ? "hl-active" : "",
    ].filter(Boolean);
    const names = [...new Set(over.map((entry) => entry.thread.author.name))];
    decorations.push(
      Decoration.inline(from, to, {
        class: classes.join(" "),
        "data-annotations": over.map((entry) => entry.thread.id).join(" "),
        ...(over.length > 1 && over.length !== previousCount ? { "data-count": String(over.length) } : {}),
        style: `--hl-color: ${color ?? "var(--hl-default)"}; --hl-layers: ${Math.min(over.length, 4)}`,
        title: `${names.join(", ")}${over.length > 1 ? ` · ${over.length} annotations` : ""}`,
      }),
    );
    previousCount = over.length;
  }
  return DecorationSet.create(doc, decorations);
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
          }),
          apply(tr, previous, _oldState, newState) {
            const input = tr.getMeta(annotationLayerKey) as LayerInput | undefined;
            const isRemote = tr.docChanged && tr.getMeta(ySyncPluginKey) !== undefined;
            if (input && input.threads !== previous.input.threads) {
              const ranges = resolveAll(options, newState.doc, input.threads);
              return { input, ranges, decorations: decorate(newState.doc, input, ranges) };
            }
            if (isRemote) {
              const current = input ?? previous.input;
              const ranges = resolveAll(options, newState.doc, current.threads);
              return { input: current, ranges, decorations: decorate(newState.doc, current, ranges) };
            }
            if (tr.docChanged) {
              const ranges = mapRanges(previous.ranges, tr);
              const current = input ?? previous.input;
              return { input: current, ranges, decorations: decorate(newState.doc, current, ranges) };
            }
            if (input)
              return {
                input,
                ranges: previous.ranges,
                decorations: decorate(newState.doc, input, previous.ranges),
              };
            return previous;
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
