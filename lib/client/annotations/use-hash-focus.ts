"use client";

/**
 * A link to `#thread-<id>` (the review page's "Open in the text") opens the
 * reading with that thread focused and its card in view.
 */
import { useEffect, useRef, useState } from "react";
import type { Thread } from "@/lib/shared/annotations/threads";
import { threadIdFromHash } from "@/lib/shared/review/review-query";
import { revealElement } from "./scroll";

/**
 * Focuses the thread named by the location hash once it can be placed. Call
 * it only where `window` exists: the hash is read as state starts, and later
 * hash changes are followed too.
 */
export function useHashFocus(options: {
  /** Every thread the margin knows. */
  threads: Thread[];
  /** Whether the margin's filters show a thread. */
  isShown: (thread: Thread) => boolean;
  /** Changes the filters so that a hidden thread shows. */
  showHidden: () => void;
  /** Threads the annotation layer has placed in the text, by id. */
  placed: ReadonlyMap<string, unknown>;
  /** Focuses a thread (and brings its passage into view). */
  activate: (id: string) => void;
  /** The thread's card in the margin, once laid out. */
  cardOf: (id: string) => Element | null;
}): void {
  const { threads, isShown, showHidden, placed, activate, cardOf } = options;
  const [hashThreadId, setHashThreadId] = useState(() => threadIdFromHash(window.location.hash));
  const [revealedHashId, setRevealedHashId] = useState<string | null>(null);
  const focusedHashId = useRef<string | null>(null);
  useEffect(() => {
    const onHashChange = () => setHashThreadId(threadIdFromHash(window.location.hash));
    window.addEventListener("hashchange", onHashChange);
    return () => window.removeEventListener("hashchange", onHashChange);
  }, []);

  // Once, when the thread first arrives: the margin cannot place a thread the
  // filters hide (a resolved one, by default), so show it. Adjusted while
  // rendering, as React advises for state that follows other state.
  const hashThread = hashThreadId ? threads.find((thread) => thread.id === hashThreadId) : undefined;
  if (hashThread && revealedHashId !== hashThread.id) {
    setRevealedHashId(hashThread.id);
    if (!isShown(hashThread)) showHidden();
  }

  // Then, once the annotation layer has placed it, focus it and bring its card
  // into view (beside its passage, or among the detached ones) after the margin
  // has laid the cards out around the focused one: two frames later.
  const scrollFrame = useRef(0);
  useEffect(() => () => cancelAnimationFrame(scrollFrame.current), []);
  useEffect(() => {
    const id = hashThreadId;
    if (!id || focusedHashId.current === id || !placed.has(id)) return;
    focusedHashId.current = id;
    activate(id);
    scrollFrame.current = requestAnimationFrame(() => {
      scrollFrame.current = requestAnimationFrame(() => {
        const card = cardOf(id);
        revealElement(card);
        // The margin slides a card to its place (a transition on its item's `top`): measured
        // mid-way, it may still look in view. Look again where it comes to rest.
        const item = card?.closest(".margin-item");
        const onArrived = (event: Event) => {
          if ((event as TransitionEvent).propertyName !== "top") return;
          item?.removeEventListener("transitionend", onArrived);
          revealElement(cardOf(id));
        };
        item?.addEventListener("transitionend", onArrived);
      });
    });
  }, [hashThreadId, placed, activate, cardOf]);
}
