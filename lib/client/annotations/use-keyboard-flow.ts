"use client";

import { useCallback, useEffect, useRef } from "react";
import { revealElement } from "./scroll";

/** How many animation frames to wait for a new card to appear in the margin. */
const CARD_WAIT_FRAMES = 120;

/** Calls `act` with what `find` returns, on the first animation frame it returns something (for at most ~2 s). */
function whenShown<T>(find: () => T | null, act: (found: T) => void): () => void {
  let left = CARD_WAIT_FRAMES;
  let frame = 0;
  const attempt = () => {
    const found = find();
    if (found) act(found);
    else if (--left > 0) frame = requestAnimationFrame(attempt);
  };
  frame = requestAnimationFrame(attempt);
  return () => cancelAnimationFrame(frame);
}

/**
 * Where keyboard focus goes around writing in the margin: a new composer comes
 * fully into view (its field and its button, not only the field its autofocus
 * scrolled to); after a post, focus goes to the new thread's card (not the page
 * body); Escape on a card goes back to its passage in the text.
 */
export function useKeyboardFlow(options: {
  /** The margin card of a thread, once rendered. */
  cardOf: (id: string) => Element | null;
  /** Puts the caret at the start of a thread's passage and focuses the text; false when it is not placed. */
  focusPassage: (id: string) => boolean;
  /** The margin card of a draft, once rendered. */
  draftCardOf: (draftId: string) => Element | null;
}): { focusCardWhenShown: (id: string) => void; revealDraftWhenFocused: (draftId: string) => void } {
  const { cardOf, focusPassage, draftCardOf } = options;
  const cancel = useRef<(() => void) | null>(null);

  const focusCardWhenShown = useCallback(
    (id: string) => {
      cancel.current?.();
      cancel.current = whenShown(
        () => cardOf(id),
        (card) => {
          if (!(card instanceof HTMLElement)) return;
          card.focus({ preventScroll: true });
          revealElement(card);
        },
      );
    },
    [cardOf],
  );

  const revealDraftWhenFocused = useCallback(
    (draftId: string) => {
      cancel.current?.();
      // After the composer's own autofocus has scrolled its field into view.
      cancel.current = whenShown(
        () => {
          const card = draftCardOf(draftId);
          return card?.contains(document.activeElement) ? card : null;
        },
        (card) => revealElement(card),
      );
    },
    [draftCardOf],
  );

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || event.defaultPrevented) return;
      const target = event.target;
      if (!(target instanceof HTMLElement)) return;
      // Only from the card itself: Escape inside a composer or menu closes that first.
      const id = target.matches(".margin [data-thread-id]") ? target.dataset.threadId : undefined;
      if (id && focusPassage(id)) event.preventDefault();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [focusPassage]);

  // The one pending wait ends with the page.
  useEffect(() => () => cancel.current?.(), []);

  return { focusCardWhenShown, revealDraftWhenFocused };
}
