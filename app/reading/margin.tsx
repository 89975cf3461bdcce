"use client";

import { ToggleGroup } from "radix-ui";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, type ReactNode } from "react";
import { KIND_LABELS } from "@/lib/shared/annotations/kinds";
import type { ProjectedCategory } from "@/lib/shared/annotations/types";
import { commentBodyToText, type CommentBody } from "@/lib/shared/comments/comment-body";
import { layoutCards } from "@/lib/client/annotations/margin-layout";
import type { ThreadActions } from "@/lib/client/annotations/use-thread-actions";
import { isVisible, threadTags, type MarginFilter, type Thread } from "@/lib/shared/annotations/threads";
import { sortTags } from "@/lib/shared/comments/tags";
import type { ResolvedRange } from "@/lib/client/editor/annotation-layer";
import { useNow } from "@/lib/client/time";
import { CommentComposer } from "./comment-composer";
import { ThreadCard } from "./thread-card";

/** A new thread being written (not sent yet). */
export type Draft = {
  id: string;
  kind: "COMMENT" | "GUIDING_QUESTION" | "NOTE";
  from: number;
  to: number;
  quote: string;
};

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
  /** The top (in px, relative to the cards container) of a text position, or null. */
  topOf: (pos: number, container: HTMLElement) => number | null;
  /** Bumps when the text's layout may have changed (edits, resizes, fonts). */
  layoutVersion: number;
  /** Categories editor (instructors), rendered beside the filters. */
  categoryTools?: ReactNode;
};

const DRAFT_LABEL: Record<Draft["kind"], { title: string; submit: string; placeholder: string }> = {
  COMMENT: {
    title: "New comment",
    submit: "Comment",
    placeholder: "What do you notice here?",
  },
  GUIDING_QUESTION: {
    title: "New guiding question",
    submit: "Ask",
    placeholder: "A question for the seminar…",
  },
  NOTE: {
    title: "New private note",
    submit: "Save note",
    placeholder: "Only you will see this.",
  },
};

/** The margin: filters, pinned guiding questions, detached threads, and cards beside their passages. */
export function Margin(props: Props) {
  const { threads, categories, ranges, filter, me, activeId, draft } = props;
  const now = useNow();
  const container = useRef<HTMLDivElement | null>(null);
  const categoryById = useMemo(
    () => new Map(categories.map((category) => [category.id, category])),
    [categories],
  );

  // The tags this reader can see in the margin, for the tag filter; the chosen one stays listed.
  const tags = useMemo(
    () => sortTags([...threads.flatMap(threadTags), ...(filter.tag ? [filter.tag] : [])]),
    [threads, filter.tag],
  );

  const visible = useMemo(
    () => threads.filter((thread) => isVisible(thread, filter, me.id)),
    [threads, filter, me.id],
  );
  const placed = visible.filter((thread) => ranges.get(thread.id));
  const orphaned = visible.filter(
    (thread) => ranges.has(thread.id) && ranges.get(thread.id) === null && thread.status === "committed",
  );
  const pinned = threads.filter(
    (thread) => thread.kind === "GUIDING_QUESTION" && thread.pinned && !thread.resolvedAt,
  );
  const { topOf } = props;

  /**
   * Places the cards beside their passages. It measures the rendered cards
   * and writes their tops straight to the DOM: positions follow layout, not
   * React state, so a resize or a card growing re-places them without a render.
   */
  const layout = useCallback(() => {
    const element = container.current;
    if (!element) return;
    const cards = [...element.querySelectorAll<HTMLElement>(":scope > [data-card-id]")];
    if (window.matchMedia("(max-width: 56rem)").matches) {
      for (const card of cards) card.style.top = "";
      element.style.height = "";
      return;
    }
    const rangeOf = (id: string) => {
      if (draft && id === `draft:${draft.id}`) return { from: draft.from };
      return ranges.get(id) ?? null;
    };
    const boxes = cards.flatMap((card) => {
      const id = card.dataset.cardId as string;
      const range = rangeOf(id);
      if (!range) return [];
      return [{ id, desiredTop: topOf(range.from, element) ?? 0, height: card.offsetHeight }];
    });
    const tops = layoutCards(boxes, { activeId: draft ? `draft:${draft.id}` : activeId, gap: 12 });
    // Never above the container's top: if the focus pulled cards up, shift everything down.
    const shift = Math.min(0, ...tops.values());
    let bottom = 0;
    for (const card of cards) {
      const top = (tops.get(card.dataset.cardId as string) ?? 0) - shift;
      card.style.top = `${top}px`;
      bottom = Math.max(bottom, top + card.offsetHeight);
    }
    element.style.height = `${bottom}px`;
  }, [draft, ranges, activeId, topOf]);

  useLayoutEffect(() => {
    layout();
  }, [layout, visible, props.layoutVersion]);

  useEffect(() => {
    const element = container.current;
    if (!element || typeof ResizeObserver === "undefined") return;
    // Cards grow (a reply box opens, a thread expands): place them again.
    const observer = new ResizeObserver(() => layout());
    for (const card of element.querySelectorAll(":scope > [data-card-id]")) observer.observe(card);
    return () => observer.disconnect();
  }, [layout, visible, draft]);

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
          <ol>
            {pinned.map((thread) => (
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
              onActivate={() => props.onActivate(thread.id)}
            />
          ))}
        </section>
      )}

      <section aria-label="Threads beside the text" className="margin-cards" ref={container}>
        {draft && (
          <div className="thread thread-draft" data-card-id={`draft:${draft.id}`}>
            <p className="thread-kind">{DRAFT_LABEL[draft.kind].title}</p>
            <blockquote className="thread-quote">
              {draft.quote.length > 140 ? `${draft.quote.slice(0, 137)}…` : draft.quote}
            </blockquote>
            <CommentComposer
              key={draft.id}
              label={KIND_LABELS[draft.kind]}
              placeholder={DRAFT_LABEL[draft.kind].placeholder}
              submitLabel={DRAFT_LABEL[draft.kind].submit}
              isPending={props.isDraftPending}
              error={props.draftError}
              autoFocus
              onSubmit={(body) => props.onDraftSubmit(body)}
              onCancel={props.onDraftCancel}
            />
          </div>
        )}
        {placed.length === 0 && !draft && (
          <p className="margin-empty">
            {threads.length === 0
              ? "Select a passage to highlight it, comment on it, or keep a private note."
              : "Nothing matches these filters."}
          </p>
        )}
        {placed.map((thread) => (
          <ThreadCard
            key={thread.id}
            thread={thread}
            me={me}
            can={props.can}
            category={thread.categoryId ? (categoryById.get(thread.categoryId) ?? null) : null}
            now={now}
            isActive={thread.id === activeId}
            actions={props.actions}
            onActivate={() => props.onActivate(thread.id)}
            cardId={thread.id}
          />
        ))}
      </section>
    </div>
  );
}

/** The question's words, shortened, for the pinned list. */
function firstText(thread: Thread): string {
  const body = thread.comments[0]?.body;
  const text = body ? commentBodyToText(body).replace(/\s+/g, " ").trim() : "";
  if (!text) return thread.anchor.quote.exact.slice(0, 80);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}
