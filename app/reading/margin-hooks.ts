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
 * The band of the cards container to render (container coordinates), following the page's scroll.
 * `onFrame` runs first in each scrolled frame (the margin re-reads where the text stands).
 */
export function useScrollBand(
  containerTop: { current: number },
  onFrame: () => void,
): { top: number; bottom: number } {
  const read = useCallback(() => {
    const start = window.scrollY - containerTop.current;
    const top = Math.floor((start - OVERSCAN) / BAND_STEP) * BAND_STEP;
    const bottom = Math.ceil((start + window.innerHeight + OVERSCAN) / BAND_STEP) * BAND_STEP;
    return { top, bottom };
  }, [containerTop]);
  const [band, setBand] = useState(() => ({ top: -OVERSCAN, bottom: 4000 }));
  useEffect(() => {
    let frame = 0;
    const update = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        onFrame();
        const next = read();
        setBand((previous) =>
          previous.top === next.top && previous.bottom === next.bottom ? previous : next,
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
  }, [read, onFrame]);
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
