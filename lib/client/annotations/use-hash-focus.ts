"use client";

/**
 * A link to `#thread-<id>` (the review page's "Open in the text") opens the
 * reading with that thread focused and its card in view.
 */
import { useEffect, useRef, useState } from "react";
import type { Thread } from "@/lib/shared/annotations/threads";
import { threadIdFromHash } from "@/lib/shared/urls";
import { revealElement } from "./scroll";

/** How long a linked thread's card is kept in view while the margin settles (frames, ~3 s). */
const SETTLE_FRAMES = 180;

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

  // Then, once the annotation layer has placed it, focus it and keep its card in view (beside
  // its passage, or among the detached ones) while the margin settles: the card is rendered
  // only once the margin has placed it, and it can slide (a transition on its item's `top`) or
  // move as the rest of the discussion is placed around it. Every frame for a few seconds, a
  // card out of view is brought back (instantly, and only when out of view); the reader
  // scrolling, clicking or typing ends it. (One look two frames after focusing, as before, once
  // left the card out of view in CI: 10,000 threads on a loaded machine.)
  const settling = useRef<{ frame: number; stop: () => void } | null>(null);
  useEffect(() => () => settling.current?.stop(), []);
  useEffect(() => {
    const id = hashThreadId;
    if (!id || focusedHashId.current === id || !placed.has(id)) return;
    focusedHashId.current = id;
    activate(id);
    settling.current?.stop();
    const READER_EVENTS = ["wheel", "touchstart", "pointerdown", "keydown"] as const;
    const stop = () => {
      if (settling.current !== current) return;
      cancelAnimationFrame(current.frame);
      for (const name of READER_EVENTS) window.removeEventListener(name, stop);
      settling.current = null;
    };
    const current = { frame: 0, stop };
    settling.current = current;
    for (const name of READER_EVENTS) window.addEventListener(name, stop, { passive: true });
    let framesLeft = SETTLE_FRAMES;
    const keepInView = () => {
      if (framesLeft-- <= 0) return stop();
      revealElement(cardOf(id));
      current.frame = requestAnimationFrame(keepInView);
    };
    current.frame = requestAnimationFrame(keepInView);
  }, [hashThreadId, placed, activate, cardOf]);
}
