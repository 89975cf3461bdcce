/**
 * Hands `apply` the latest value it was given, once the browser has drawn a frame since the
 * first of them: a `requestAnimationFrame`, then a task after that frame. Several values
 * given before then make one call, with the last.
 *
 * For work that reads the layout a change has just dirtied: read in the same task, the change
 * and a synchronous layout of the whole page make one long task; read after the frame, the
 * browser has laid the page out in its own rendering step and the read costs nothing. (While
 * the page is hidden no frame is drawn, and the value waits until it shows.)
 */
export function latestAfterNextFrame<T>(apply: (value: T) => void): (value: T) => void {
  let latest: { value: T } | null = null;
  return (value) => {
    const isScheduled = latest !== null;
    latest = { value };
    if (isScheduled) return;
    requestAnimationFrame(() => {
      setTimeout(() => {
        const due = latest as { value: T };
        latest = null;
        apply(due.value);
      }, 0);
    });
  };
}
