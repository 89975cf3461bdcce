/**
 * The margin's browser-side measurements: card heights from one ResizeObserver, the band of the
 * page the virtualised margin renders, and whether the screen is narrow (app/reading/margin.tsx).
 */
import { useCallback, useEffect, useRef, useState } from "react";

/** Cards rendered beyond the screen, above and below (px). */
const OVERSCAN = 1200;
/** The band of rendered cards moves in steps of this (px), not on every scrolled pixel. */
const BAND_STEP = 200;

/** Measures the items it is given as a ref, all in one observer; heights land in one state update per frame. */
export function useItemObserver(
  setHeights: (update: (previous: ReadonlyMap<string, number>) => ReadonlyMap<string, number>) => void,
) {
  const observerRef = useRef<ResizeObserver | null>(null);
  const pending = useRef(new Map<string, number>());
  const frame = useRef(0);
  useEffect(
    () => () => {
      observerRef.current?.disconnect();
      cancelAnimationFrame(frame.current);
    },
    [],
  );
  return useCallback(
    (element: HTMLElement | null) => {
      if (!element || typeof ResizeObserver === "undefined") return;
      observerRef.current ??= new ResizeObserver((entries) => {
        for (const entry of entries) {
          const key = (entry.target as HTMLElement).dataset.itemKey;
          const size = entry.borderBoxSize[0]?.blockSize;
          if (key && size !== undefined && size > 0) pending.current.set(key, Math.ceil(size));
        }
        cancelAnimationFrame(frame.current);
        frame.current = requestAnimationFrame(() => {
          const measured = pending.current;
          pending.current = new Map();
          setHeights((previous) => {
            let next: Map<string, number> | null = null;
            for (const [key, size] of measured) {
              if (previous.get(key) === size) continue;
              next ??= new Map(previous);
              next.set(key, size);
            }
            return next ?? previous;
          });
        });
      });
      const observer = observerRef.current;
      observer.observe(element);
      return () => observer.unobserve(element);
    },
    [setHeights],
  );
}

/**
 * The band of the page to render cards in (page coordinates: `scrollY` and below), following
 * the page's scroll. The margin subtracts its container's top, which it tracks as state, so a
 * container that moves without a scroll (a notice, the preview or the tools above it coming and
 * going) moves the band with it. `onFrame` runs first in each scrolled frame (the margin re-reads
 * where the text and its container stand).
 */
export function useScrollBand(onFrame: () => void): { top: number; bottom: number } {
  const [band, setBand] = useState(() => ({ top: -OVERSCAN, bottom: 4000 }));
  useEffect(() => {
    let frame = 0;
    const update = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        onFrame();
        const top = Math.floor((window.scrollY - OVERSCAN) / BAND_STEP) * BAND_STEP;
        const bottom = Math.ceil((window.scrollY + window.innerHeight + OVERSCAN) / BAND_STEP) * BAND_STEP;
        setBand((previous) =>
          previous.top === top && previous.bottom === bottom ? previous : { top, bottom },
        );
      });
    };
    update();
    window.addEventListener("scroll", update, { passive: true });
    window.addEventListener("resize", update);
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener("scroll", update);
      window.removeEventListener("resize", update);
    };
  }, [onFrame]);
  return band;
}

/** True on narrow screens, where the margin flows under the text instead of beside it. */
export function useIsNarrow(): boolean {
  const [isNarrow, setNarrow] = useState(false);
  useEffect(() => {
    const query = window.matchMedia("(max-width: 56rem)");
    const update = () => setNarrow(query.matches);
    update();
    query.addEventListener("change", update);
    return () => query.removeEventListener("change", update);
  }, []);
  return isNarrow;
}
