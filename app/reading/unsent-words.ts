"use client";

import { createContext, useCallback, useContext, useState } from "react";
import type { CommentBody } from "@/lib/shared/comments/comment-body";

/**
 * The reader's unsent words in the margin (a reply or an edit being written), kept
 * by the reading page rather than by the card that shows them. A card is unmounted
 * when its paragraph is stacked or opened, when a newcomer's thread makes its
 * paragraph dense, when the margin moves from the side to the phone's sheet, or when
 * it scrolls far off with nothing holding it; mounted again, it opens its composer
 * with the words as they were. Read when a card mounts, not a source of renders.
 */
export type UnsentWords = {
  /** The words kept under `key`: null when the composer is open with nothing typed; undefined when none is. */
  read(key: string): CommentBody | null | undefined;
  keep(key: string, threadId: string, body: CommentBody | null): void;
  forget(key: string): void;
  /** True while a composer of the thread is open (its reply, or an edit of one of its comments). */
  holds(threadId: string): boolean;
};

export function createUnsentWords(): UnsentWords {
  const words = new Map<string, { threadId: string; body: CommentBody | null }>();
  return {
    read: (key) => words.get(key)?.body,
    keep: (key, threadId, body) => void words.set(key, { threadId, body }),
    forget: (key) => void words.delete(key),
    holds: (threadId) => [...words.values()].some((kept) => kept.threadId === threadId),
  };
}

/** The reading page's unsent words; null outside it (composers then keep their words only while mounted). */
export const UnsentWordsContext = createContext<UnsentWords | null>(null);

export function useUnsentWordsStore(): UnsentWords | null {
  return useContext(UnsentWordsContext);
}

/**
 * A composer whose being open and whose words outlive the card: `isOpen` starts as it was
 * left, `kept` is the body to start from (read once, by the composer, when it mounts), and
 * `isRestored` says it was found open rather than opened here.
 */
export function useUnsentComposer(key: string, threadId: string) {
  const store = useContext(UnsentWordsContext);
  const [isOpen, setOpen] = useState(() => store?.read(key) !== undefined);
  // Opened by the reader in this card (the composer takes the focus), or found open when the
  // card mounted (a paragraph opened, say: the focus stays where the reader put it).
  const [isOpenedHere, setOpenedHere] = useState(false);
  const open = useCallback(() => {
    store?.keep(key, threadId, store.read(key) ?? null);
    setOpen(true);
    setOpenedHere(true);
  }, [store, key, threadId]);
  const close = useCallback(() => {
    store?.forget(key);
    setOpen(false);
  }, [store, key]);
  const keep = useCallback((body: CommentBody) => store?.keep(key, threadId, body), [store, key, threadId]);
  return {
    isOpen,
    isRestored: isOpen && !isOpenedHere,
    open,
    close,
    keep,
    kept: store?.read(key) ?? undefined,
  };
}
