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

/** Tops by card id. Cards are ordered by desired top (ties keep their input order). */
export function layoutCards(
  cards: CardBox[],
  options: { activeId?: string | null; gap?: number } = {},
): Map<string, number> {
  const gap = options.gap ?? 10;
  const ordered = cards
    .map((card, index) => ({ ...card, index }))
    .sort((a, b) => a.desiredTop - b.desiredTop || a.index - b.index);
  const tops = new Map<string, number>();
  const activeIndex = options.activeId ? ordered.findIndex((card) => card.id === options.activeId) : -1;

  if (activeIndex < 0) {
    let bottom = -Infinity;
    for (const card of ordered) {
      const top = Math.max(card.desiredTop, bottom + gap);
      tops.set(card.id, top);
      bottom = top + card.height;
    }
    return tops;
  }

  const active = ordered[activeIndex] as (typeof ordered)[number];
  tops.set(active.id, active.desiredTop);
  // Above the focused card: each as low as it wants, but clear of the one below.
  let ceiling = active.desiredTop;
  for (let i = activeIndex - 1; i >= 0; i--) {
    const card = ordered[i] as (typeof ordered)[number];
    const top = Math.min(card.desiredTop, ceiling - gap - card.height);
    tops.set(card.id, top);
    ceiling = top;
  }
  // Below it: pushed down as usual.
  let bottom = active.desiredTop + active.height;
  for (let i = activeIndex + 1; i < ordered.length; i++) {
    const card = ordered[i] as (typeof ordered)[number];
    const top = Math.max(card.desiredTop, bottom + gap);
    tops.set(card.id, top);
    bottom = top + card.height;
  }
  return tops;
}
