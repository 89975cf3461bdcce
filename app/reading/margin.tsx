"use client";

import { ToggleGroup } from "radix-ui";
import { useCallback, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { flushSync } from "react-dom";
import type { ProjectedCategory } from "@/lib/shared/annotations/types";
import { commentBodyToText, type CommentBody } from "@/lib/shared/comments/comment-body";
import {
  groupThreads,
  itemsInBand,
  layoutCards,
  type MarginItem,
} from "@/lib/client/annotations/margin-layout";
import type { ThreadActions } from "@/lib/client/annotations/use-thread-actions";
import {
  commentCount,
  isVisible,
  threadTags,
  type MarginFilter,
  type Thread,
} from "@/lib/shared/annotations/threads";
import { sortTags } from "@/lib/shared/comments/tags";
import type { ResolvedRange } from "@/lib/client/editor/annotation-layer";
import { useNow } from "@/lib/client/time";
import { DraftCard, draftKey, type Draft } from "./draft-card";
import { useIsNarrow, useItemObserver, useScrollBand } from "./margin-hooks";
import { ThreadCard } from "./thread-card";
import { useUnsentWordsStore } from "./unsent-words";

type Props = {
  threads: Thread[];
  categories: ProjectedCategory[];
  ranges: Map<string, ResolvedRange>;
  filter: MarginFilter;
  onFilterChange: (filter: MarginFilter) => void;
  me: { id: string; name: string };
  can: { moderate: boolean; guide: boolean };
  activeId: string | null;
  onActivate: (id: string | null) => void;
  actions: ThreadActions;
  draft: Draft | null;
  draftError: string | null;
  isDraftPending: boolean;
  onDraftSubmit: (body: CommentBody) => void;
  onDraftCancel: () => void;
  /** The top of a text position in px below the live text's top, or null while unknown. */
  topOf: (pos: number) => number | null;
  /** The live text's top in the viewport, or null while it is hidden. */
  textTop: () => number | null;
  /** The paragraph a text position lies in (a number naming it: where the paragraph starts). */
  blockOf: (pos: number) => number;
  /** Bumps when the text's layout may have changed (edits, resizes, fonts). */
  layoutVersion: number;
  /** The seminar room has synced and the threads are anchored: until then the preview stands in. */
  isLoaded: boolean;
  /** The first threads as the server read them (read-only), shown until `isLoaded`. */
  preview?: ReactNode;
  /** Categories editor (instructors), rendered beside the filters. */
  categoryTools?: ReactNode;
};

const GAP = 12;
/**
 * Pinned guiding questions listed before "Show all": the list sits above the cards, so a long
 * one pushed every card in the first screens of the text below its passage (on a reading with
 * 38 pinned questions, by ~2,900 px).
 */
const PINNED_SHOWN = 3;

/**
 * The margin: filters, pinned guiding questions, detached threads, and cards
 * beside their passages.
 *
 * Cards beside the text are virtualised: every thread gets a place (from its
 * card's measured height, or an estimate until it has been rendered), but only
 * the cards near the screen are in the DOM, with the active one, the draft and any card
 * holding the reader's work (a reply or an edit being written, whose words live in the card:
 * `onHoldsWork`). Measuring is done by one
 * ResizeObserver (no reads of offsetHeight after style writes), the passages'
 * tops are read together once per layout of the text (`topOf` caches them by
 * position, relative to the text), and placing is arithmetic (`layoutCards`),
 * so hovering, focusing or typing a draft does not touch the other cards.
 *
 * Where the text stands against the cards' container is read apart from the
 * passages (two rectangles, after every render and while scrolling): what sits
 * above the text or above the cards changes height without the text's own
 * layout changing. A card is placed only once its passage's top is known; it
 * never stands in at 0, where unknown cards used to pile up one under another.
 */
export function Margin(props: Props) {
  const { threads, categories, ranges, filter, me, activeId, draft, topOf, textTop, blockOf, layoutVersion } =
    props;
  const now = useNow();
  const container = useRef<HTMLElement | null>(null);
  const categoryById = useMemo(
    () => new Map(categories.map((category) => [category.id, category])),
    [categories],
  );
  const threadById = useMemo(() => new Map(threads.map((thread) => [thread.id, thread])), [threads]);
  // Cards get one callback for their lifetime, so memoised cards skip re-rendering.
  const activateRef = useRef(props.onActivate);
  useLayoutEffect(() => {
    activateRef.current = props.onActivate;
  });
  const onActivate = useCallback((id: string | null) => activateRef.current(id), []);
  // Threads whose cards hold the reader's work (replies, edits being written; how many):
  // rendered wherever the page is scrolled.
  const [workIds, setWorkIds] = useState<ReadonlyMap<string, number>>(() => new Map());
  const unsentWords = useUnsentWordsStore();
  const onHoldsWork = useCallback((id: string, holdsWork: boolean) => {
    setWorkIds((previous) => {
      const next = new Map(previous);
      const count = (previous.get(id) ?? 0) + (holdsWork ? 1 : -1);
      if (count > 0) next.set(id, count);
      else next.delete(id);
      return next;
    });
  }, []);

  // The tags this reader can see in the margin, for the tag filter; the chosen one stays listed.
  const tags = useMemo(
    () => sortTags([...threads.flatMap(threadTags), ...(filter.tag ? [filter.tag] : [])]),
    [threads, filter.tag],
  );

  const visible = useMemo(
    () => threads.filter((thread) => isVisible(thread, filter, me.id)),
    [threads, filter, me.id],
  );
  const placed = useMemo(() => visible.filter((thread) => ranges.get(thread.id)), [visible, ranges]);
  const orphaned = visible.filter(
    (thread) => ranges.has(thread.id) && ranges.get(thread.id) === null && thread.status === "committed",
  );
  const pinned = threads.filter(
    (thread) => thread.kind === "GUIDING_QUESTION" && thread.pinned && !thread.resolvedAt,
  );
  const [isPinnedOpen, setPinnedOpen] = useState(false);
  const pinnedShown = isPinnedOpen ? pinned : pinned.slice(0, PINNED_SHOWN);

  // Dense paragraphs stack their threads; the reader can open a stack.
  const [expandedBlocks, setExpandedBlocks] = useState<ReadonlySet<number>>(() => new Set());
  const items = useMemo(() => {
    void layoutVersion; // blocks move when the text changes
    const located = placed
      .map((thread) => {
        const from = (ranges.get(thread.id) as { from: number }).from;
        return { id: thread.id, from, block: blockOf(from) };
      })
      .sort((a, b) => a.from - b.from);
    const grouped = groupThreads(located, expandedBlocks);
    if (draft) {
      const item = {
        key: draftKey(draft),
        from: draft.from,
        threadIds: [],
        isStack: false,
        denseBlock: null,
      };
      const index = grouped.findIndex((other) => other.from > draft.from);
      grouped.splice(index < 0 ? grouped.length : index, 0, item);
    }
    return grouped;
  }, [placed, ranges, blockOf, expandedBlocks, draft, layoutVersion]);

  // The focused item: the draft, else the card or stack holding the active thread.
  const activeKey = draft
    ? draftKey(draft)
    : activeId
      ? (items.find((item) => item.threadIds.includes(activeId))?.key ?? null)
      : null;

  // Heights: measured by the observer once rendered, estimated before.
  const [heights, setHeights] = useState<ReadonlyMap<string, number>>(() => new Map());
  const heightOf = useCallback(
    (item: MarginItem) => heights.get(item.key) ?? estimateHeight(item, threadById),
    [heights, threadById],
  );
  const observer = useItemObserver(setHeights);

  // Where each passage starts (px below the text's top), read together in one pass (one layout at
  // most). Read while rendering: the text's own DOM is ProseMirror's, already up to date, and its
  // layout does not depend on the margin. Positions whose top is not known yet (the text still
  // hidden) are left out; showing the text resizes it, which bumps `layoutVersion`.
  const passageTops = useMemo(() => {
    void layoutVersion;
    const known = new Map<number, number>();
    for (const item of items) {
      if (known.has(item.from)) continue;
      const top = topOf(item.from);
      if (top !== null) known.set(item.from, top);
    }
    return known;
  }, [items, topOf, layoutVersion]);

  // The text's top less the cards container's (px): where a passage's top is in the container.
  const [textOffset, setTextOffset] = useState<number | null>(null);
  // The container's top in the page (px), which the render band is measured from.
  const [containerTop, setContainerTop] = useState(0);
  const readTextOffset = useCallback(() => {
    const element = container.current;
    if (!element) return;
    const box = element.getBoundingClientRect();
    const pageTop = box.top + window.scrollY;
    setContainerTop((previous) => (Math.abs(previous - pageTop) < 0.5 ? previous : pageTop));
    const text = textTop();
    const next = text === null ? null : text - box.top;
    setTextOffset((previous) =>
      previous !== null && next !== null && Math.abs(previous - next) < 0.5 ? previous : next,
    );
  }, [textTop]);
  // After every render: the margin's tools, pinned questions, notices above the text all come
  // and go with renders. (The state only changes when the offset does, so this settles.)
  // Read at the next frame, before it is painted, not at once: a render can follow a change
  // of the text's own DOM in the same task (the layer drawing thousands of highlights), and a
  // read there lays the whole text out at once, adding to that task; at the frame the browser
  // lays the page out anyway. `flushSync` places the cards in that same frame.
  useLayoutEffect(() => {
    const frame = requestAnimationFrame(() => flushSync(readTextOffset));
    return () => cancelAnimationFrame(frame);
  });

  // Only items whose passage has a known top are placed (and rendered beside the text).
  const placedItems = useMemo(
    () => (textOffset === null ? [] : items.filter((item) => passageTops.has(item.from))),
    [items, passageTops, textOffset],
  );
  const tops = useMemo(
    () =>
      layoutCards(
        placedItems.map((item) => ({
          id: item.key,
          desiredTop: (passageTops.get(item.from) as number) + (textOffset as number),
          height: heightOf(item),
        })),
        // A passage above the container (beside the margin's tools) gets its card at the
        // container's top; only the cards that one then meets move down.
        { activeId: activeKey, gap: GAP, floor: 0 },
      ),
    [placedItems, passageTops, textOffset, heightOf, activeKey],
  );
  const height = useMemo(
    () =>
      placedItems.reduce((bottom, item) => Math.max(bottom, (tops.get(item.key) ?? 0) + heightOf(item)), 0),
    [placedItems, tops, heightOf],
  );

  const pageBand = useScrollBand(readTextOffset);
  const band = useMemo(
    () => ({ top: pageBand.top - containerTop, bottom: pageBand.bottom - containerTop }),
    [pageBand, containerTop],
  );
  const isNarrow = useIsNarrow();
  const rendered = useMemo(() => {
    if (isNarrow) return items;
    const always = new Set([activeKey, draft ? draftKey(draft) : null].filter((key) => key !== null));
    if (workIds.size > 0)
      for (const item of placedItems) if (item.threadIds.some((id) => workIds.has(id))) always.add(item.key);
    return itemsInBand(placedItems, tops, heightOf, band, always);
  }, [isNarrow, items, placedItems, tops, heightOf, band, activeKey, draft, workIds]);

  const toggleBlock = useCallback((block: number, isOpen: boolean) => {
    setExpandedBlocks((previous) => {
      const next = new Set(previous);
      if (isOpen) next.add(block);
      else next.delete(block);
      return next;
    });
  }, []);

  const renderCard = (thread: Thread, isCompact = false) => (
    <ThreadCard
      key={thread.id}
      thread={thread}
      me={me}
      can={props.can}
      category={thread.categoryId ? (categoryById.get(thread.categoryId) ?? null) : null}
      now={now}
      isActive={thread.id === activeId}
      actions={props.actions}
      onActivate={onActivate}
      onHoldsWork={onHoldsWork}
      cardId={thread.id}
      isCompact={isCompact}
    />
  );

  return (
    <div className="margin">
      <div className="margin-tools">
        <ToggleGroup.Root
          type="single"
          className="segmented"
          aria-label="Whose threads"
          value={filter.who}
          onValueChange={(value) =>
            value && props.onFilterChange({ ...filter, who: value as MarginFilter["who"] })
          }
        >
          <ToggleGroup.Item value="everyone" className="segmented-item">
            Everyone’s
          </ToggleGroup.Item>
          <ToggleGroup.Item value="instructors" className="segmented-item">
            Instructors’
          </ToggleGroup.Item>
          <ToggleGroup.Item value="mine" className="segmented-item">
            Mine
          </ToggleGroup.Item>
        </ToggleGroup.Root>
        <label className="check">
          <input
            type="checkbox"
            checked={filter.showResolved}
            onChange={(event) => props.onFilterChange({ ...filter, showResolved: event.target.checked })}
          />
          Show resolved
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={filter.showPrivate}
            onChange={(event) => props.onFilterChange({ ...filter, showPrivate: event.target.checked })}
          />
          My private notes
        </label>
        {categories.length > 0 && (
          <ToggleGroup.Root
            type="multiple"
            className="category-filter"
            aria-label="Categories to show"
            value={filter.categories}
            onValueChange={(value) => props.onFilterChange({ ...filter, categories: value })}
          >
            {categories.map((category) => (
              <ToggleGroup.Item
                key={category.id}
                value={category.id}
                className="category-chip"
                aria-label={`Only ${category.name}`}
              >
                <span className="swatch" style={{ background: category.color }} aria-hidden="true" />
                {category.name}
              </ToggleGroup.Item>
            ))}
          </ToggleGroup.Root>
        )}
        {tags.length > 0 && (
          <label className="tag-filter">
            <span>Tag</span>
            <select
              value={filter.tag ?? ""}
              onChange={(event) => props.onFilterChange({ ...filter, tag: event.target.value || null })}
            >
              <option value="">Any tag</option>
              {tags.map((tag) => (
                <option key={tag} value={tag}>
                  #{tag}
                </option>
              ))}
            </select>
          </label>
        )}
        {props.categoryTools}
      </div>

      {pinned.length > 0 && (
        <section className="guiding-questions" aria-labelledby="guiding-heading">
          <h2 id="guiding-heading" className="margin-heading">
            Guiding questions
          </h2>
          <ol id="guiding-list">
            {pinnedShown.map((thread) => (
              <li key={thread.id}>
                <a
                  href={`#thread-${thread.id}`}
                  className="guiding-link"
                  onClick={(event) => {
                    event.preventDefault();
                    props.onActivate(thread.id);
                  }}
                >
                  {firstText(thread)}
                </a>
              </li>
            ))}
          </ol>
          {pinned.length > PINNED_SHOWN && (
            <button
              type="button"
              className="button-link guiding-more"
              aria-expanded={isPinnedOpen}
              aria-controls="guiding-list"
              onClick={() => setPinnedOpen(!isPinnedOpen)}
            >
              {isPinnedOpen ? "Show fewer" : `Show all ${pinned.length} guiding questions`}
            </button>
          )}
        </section>
      )}

      {orphaned.length > 0 && (
        <section className="orphans" aria-labelledby="orphans-heading">
          <h2 id="orphans-heading" className="margin-heading">
            Detached from the text <span className="count">{orphaned.length}</span>
          </h2>
          <p className="margin-hint">The passages these were on have changed. Their words are kept here.</p>
          {orphaned.map((thread) => (
            <ThreadCard
              key={thread.id}
              thread={thread}
              me={me}
              can={props.can}
              category={thread.categoryId ? (categoryById.get(thread.categoryId) ?? null) : null}
              now={now}
              isActive={thread.id === activeId}
              isOrphaned
              actions={props.actions}
              onActivate={onActivate}
            />
          ))}
        </section>
      )}

      <section
        aria-label="Threads beside the text"
        className="margin-cards"
        ref={container}
        style={isNarrow ? undefined : { height }}
      >
        {/* Laid over the container's top, not above it: the container (where every card's top is
            measured from) stays put while the preview streams in and when it goes. */}
        {!props.isLoaded && props.preview}
        {placed.length === 0 && !draft && props.isLoaded && (
          <p className="margin-empty">
            {threads.length === 0
              ? "Select a passage to highlight it, comment on it, or keep a private note."
              : "Nothing matches these filters."}
          </p>
        )}
        {rendered.map((item) => {
          const style = isNarrow ? undefined : { top: tops.get(item.key) ?? 0 };
          const place = { itemKey: item.key, style, observer };
          if (draft && item.key === draftKey(draft))
            return (
              <PlacedItem key={item.key} {...place}>
                <DraftCard
                  draft={draft}
                  isDraftPending={props.isDraftPending}
                  draftError={props.draftError}
                  onDraftSubmit={props.onDraftSubmit}
                  onDraftCancel={props.onDraftCancel}
                />
              </PlacedItem>
            );
          const members = item.threadIds.flatMap((id) => threadById.get(id) ?? []);
          if (!item.isStack)
            return (
              <PlacedItem key={item.key} {...place}>
                {item.denseBlock !== null && isFirstOfBlock(items, item) && (
                  <button
                    type="button"
                    className="button-link margin-stack-toggle"
                    aria-expanded="true"
                    onClick={() => toggleBlock(item.denseBlock as number, false)}
                  >
                    Stack this paragraph’s annotations
                  </button>
                )}
                {members.map((thread) => renderCard(thread))}
              </PlacedItem>
            );
          // A stack: a card with the reader's unsent words (a reply or an edit being written) if
          // there is one, in full, else the focused thread's, else the first; the rest counted.
          // The words of the others are kept (unsent-words.ts) for when the paragraph is opened.
          const holding = members.find((thread) => workIds.has(thread.id) || unsentWords?.holds(thread.id));
          const shown = holding ?? members.find((thread) => thread.id === activeId) ?? members[0];
          return (
            <PlacedItem key={item.key} {...place} isStack>
              <button
                type="button"
                className="margin-stack-summary"
                aria-expanded="false"
                aria-label={`Show all ${members.length} annotations on this paragraph`}
                onClick={() => toggleBlock(item.denseBlock as number, true)}
              >
                <span className="margin-stack-count">{members.length} annotations</span>
                <span className="margin-stack-action">Show all</span>
              </button>
              {/* Compact (its first words, no actions) unless the reader's words are in it. */}
              {shown && renderCard(shown, shown !== holding)}
            </PlacedItem>
          );
        })}
      </section>
    </div>
  );
}

/** One item of the margin where the layout put it, measured by the margin's observer. */
function PlacedItem({
  itemKey,
  style,
  observer,
  isStack = false,
  children,
}: {
  itemKey: string;
  style: { top: number } | undefined;
  observer: (element: HTMLElement | null) => void;
  isStack?: boolean;
  children: ReactNode;
}) {
  return (
    <div
      className={isStack ? "margin-item margin-stack" : "margin-item"}
      style={style}
      data-item-key={itemKey}
      ref={observer}
    >
      {children}
    </div>
  );
}

/** True for the first item of an expanded dense block (which carries the control to stack it again). */
function isFirstOfBlock(items: MarginItem[], item: MarginItem): boolean {
  return items.find((other) => other.denseBlock === item.denseBlock) === item;
}

/** A card's height before it has been rendered and measured (px). */
function estimateHeight(item: MarginItem, threadById: ReadonlyMap<string, Thread>): number {
  if (item.threadIds.length === 0) return 260; // a draft with its composer
  const thread = threadById.get(item.threadIds[0] as string);
  const comments = thread ? Math.min(thread.comments.length, 1) : 1;
  // Counted from the summary: the room carries the first comment only (docs/adr/0027).
  const card = 72 + comments * 84 + (thread && commentCount(thread) > 1 ? 24 : 0);
  return item.isStack ? card + 40 : card;
}

/** The question's words, shortened, for the pinned list. */
function firstText(thread: Thread): string {
  const body = thread.comments[0]?.body;
  const text = body ? commentBodyToText(body).replace(/\s+/g, " ").trim() : "";
  if (!text) return thread.anchor.quote.exact.slice(0, 80);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}
