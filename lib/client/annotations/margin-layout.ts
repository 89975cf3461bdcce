/**
 * Places margin cards beside their passages without overlap, as Google Docs
 * does: cards keep their passage's height where they can and are pushed
 * down where they would overlap; the focused card is pulled level with its
 * passage and the cards above it move up to make room.
 */

/** A card to place. */
export type CardBox = {
  id: string;
  /** Where the card would like its top: level with its passage. */
  desiredTop: number;
  /** The card's rendered height. */
  height: number;
};

/**
 * Tops by card id. Cards are ordered by desired top (ties keep their input order).
 *
 * `floor` is the highest a card may sit (the top of the cards' container):
 * a card whose passage lies above it starts at the floor, and only the cards
 * it then overlaps move down. (An earlier version shifted every card down by
 * however far the first one overhung the container, so one passage above
 * the margin's tools put every card on the page that far below its own.)
 */
export function layoutCards(
  cards: CardBox[],
  options: { activeId?: string | null; gap?: number; floor?: number } = {},
): Map<string, number> {
  const gap = options.gap ?? 10;
  const floor = options.floor ?? -Infinity;
  const ordered = cards
    .map((card, index) => ({ ...card, index }))
    .sort((a, b) => a.desiredTop - b.desiredTop || a.index - b.index);
  const tops = new Map<string, number>();
  const activeIndex = options.activeId ? ordered.findIndex((card) => card.id === options.activeId) : -1;

  if (activeIndex < 0) {
    pushDown(ordered, tops, { from: 0, bottom: -Infinity, gap, floor });
    return tops;
  }

  const active = ordered[activeIndex] as (typeof ordered)[number];
  // The least top each card may take so that the cards before it fit between it and the floor.
  const lowest: number[] = [];
  let room = floor;
  for (let i = 0; i <= activeIndex; i++) {
    lowest.push(room);
    room += (ordered[i] as CardBox).height + gap;
  }
  // The focused card level with its passage, unless the cards above it could not fit.
  const activeTop = Math.max(active.desiredTop, lowest[activeIndex] as number);
  tops.set(active.id, activeTop);
  // Above the focused card: each as low as it wants, but clear of the one below and
  // leaving room for the ones above it.
  let ceiling = activeTop;
  for (let i = activeIndex - 1; i >= 0; i--) {
    const card = ordered[i] as (typeof ordered)[number];
    const top = Math.max(lowest[i] as number, Math.min(card.desiredTop, ceiling - gap - card.height));
    tops.set(card.id, top);
    ceiling = top;
  }
  // Below it: pushed down as usual.
  pushDown(ordered, tops, { from: activeIndex + 1, bottom: activeTop + active.height, gap, floor });
  return tops;
}

/** Places `ordered[from…]` each at its desired top, or just below the card above it, never above the floor. */
function pushDown(
  ordered: CardBox[],
  tops: Map<string, number>,
  start: { from: number; bottom: number; gap: number; floor: number },
) {
  let bottom = start.bottom;
  for (let i = start.from; i < ordered.length; i++) {
    const card = ordered[i] as CardBox;
    const top = Math.max(card.desiredTop, bottom + start.gap, start.floor);
    tops.set(card.id, top);
    bottom = top + card.height;
  }
}

/** A passage with this many threads or more shows as one stack with a count. */
export const DENSE_AT = 4;

/** A thread the margin places, with where its passage starts. */
export type PlacedThread = {
  id: string;
  /** The passage's start in the text. */
  from: number;
  /** The passage's paragraph in the text (any number that names it; one per paragraph). */
  block: number;
};

/** What the margin places: one thread's card, or the stack of a dense block's threads. */
export type MarginItem = {
  /** The thread's id, or `block:<n>` for a stack. */
  key: string;
  /** Where the item wants its top: the start of its (first) passage. */
  from: number;
  /** Threads of the item, in the order of their passages; a card has one. */
  threadIds: string[];
  /** A stack: one card shown, the others counted. */
  isStack: boolean;
  /** The block this item belongs to when its block is dense (stacked or expanded). */
  denseBlock: number | null;
};

/**
 * Groups the threads of a dense block (`DENSE_AT` or more passages starting
 * in one paragraph) into one stack, unless the reader expanded that block;
 * every other thread is its own item. Threads must come sorted by `from`.
 * Keeping a busy paragraph's threads to one card's height is what keeps the
 * cards below it level with their own passages.
 */
export function groupThreads(threads: PlacedThread[], expandedBlocks: ReadonlySet<number>): MarginItem[] {
  const byBlock = new Map<number, PlacedThread[]>();
  for (const thread of threads) {
    const list = byBlock.get(thread.block);
    if (list) list.push(thread);
    else byBlock.set(thread.block, [thread]);
  }
  const items: MarginItem[] = [];
  const stacked = new Set<number>();
  for (const thread of threads) {
    const siblings = byBlock.get(thread.block) as PlacedThread[];
    const isDense = siblings.length >= DENSE_AT;
    if (!isDense || expandedBlocks.has(thread.block)) {
      items.push({
        key: thread.id,
        from: thread.from,
        threadIds: [thread.id],
        isStack: false,
        denseBlock: isDense ? thread.block : null,
      });
      continue;
    }
    if (stacked.has(thread.block)) continue;
    stacked.add(thread.block);
    items.push({
      key: `block:${thread.block}`,
      from: thread.from,
      threadIds: siblings.map((sibling) => sibling.id),
      isStack: true,
      denseBlock: thread.block,
    });
  }
  return items;
}

/**
 * The items whose boxes meet the band [top, bottom] (container coordinates).
 * Heights are the measured ones, else estimates; `always` (the focused item,
 * a draft) is kept whatever its place, so focus and hash links find it.
 */
export function itemsInBand(
  items: MarginItem[],
  tops: ReadonlyMap<string, number>,
  heightOf: (item: MarginItem) => number,
  band: { top: number; bottom: number },
  always: ReadonlySet<string>,
): MarginItem[] {
  return items.filter((item) => {
    if (always.has(item.key)) return true;
    const top = tops.get(item.key) ?? 0;
    return top <= band.bottom && top + heightOf(item) >= band.top;
  });
}
