/**
 * When the reading page scrolls something into view: only when it is out of
 * sight, so focusing a thread that is already visible does not move the page.
 */

/** The top of the viewport kept clear for the sticky site header (globals.css: scroll-padding-top: 5rem). */
export const HEADER_HEIGHT = 80;

/** Whether a box (from getBoundingClientRect) is hidden under the header or below the viewport. */
export function isOutOfView(box: { top: number; bottom: number }, viewportHeight: number): boolean {
  return box.top < HEADER_HEIGHT || box.bottom > viewportHeight;
}

/** Scrolls `element` to the middle of the viewport when it is out of view. */
export function revealElement(element: Element | null | undefined, behavior: ScrollBehavior = "auto"): void {
  const box = element?.getBoundingClientRect();
  if (box && isOutOfView(box, window.innerHeight)) element?.scrollIntoView({ block: "center", behavior });
}
