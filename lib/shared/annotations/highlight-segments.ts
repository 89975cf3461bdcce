/**
 * How overlapping highlights are drawn: the ranges cut into segments, each
 * carrying every annotation over it, the newest on top (its colour fills;
 * older layers show as underlines and in the count). One function for the
 * live text's decorations and the server's first paint of the text, so both
 * look the same.
 */
import type { Thread } from "./threads";

/** A thread and where its passage lies (ProseMirror positions, `from < to`). */
export type PlacedThread = { thread: Thread; from: number; to: number };

/** A run of text under the same annotations, and the attributes that draw it. */
export type HighlightSegment = {
  from: number;
  to: number;
  attrs: {
    class: string;
    "data-annotations": string;
    "data-count"?: string;
    style?: string;
    title: string;
  };
};

function kindClass(thread: Thread): string {
  if (thread.layer === "private") return "hl-note";
  if (thread.kind === "GUIDING_QUESTION") return "hl-question";
  if (thread.kind === "COMMENT") return "hl-comment";
  return "hl-highlight";
}

/**
 * Where `entry` goes in `open` (newest first; after those as new, so the earlier-placed stays
 * above among equals). ISO-8601 timestamps compare as plain strings.
 */
function insertionIndex(open: readonly PlacedThread[], entry: PlacedThread): number {
  const createdAt = entry.thread.createdAt;
  let low = 0;
  let high = open.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((open[middle] as PlacedThread).thread.createdAt >= createdAt) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * One sweep over the sorted range ends, keeping the annotations open at each
 * point: O(n log n + segments × depth). `isPreview` marks the segments
 * `hl-preview` (drawn from the server's first-screen passages, not the room).
 *
 * Where annotations overlap, the first segment of each overlapping run (adjoining
 * segments under two or more) carries the run's largest count (`data-count`, drawn
 * as "×N"); each segment's title says its own. One count per run, not one per change
 * of count: on a reading with 10,000 threads the count changed at nearly every word,
 * and a tag before every word made the text unreadable (and was ~2,600 more boxes
 * to style and lay out).
 */
export function highlightSegments(
  placed: readonly PlacedThread[],
  colors: Record<string, string>,
  options: { isPreview?: boolean } = {},
): HighlightSegment[] {
  const events: { pos: number; entry: PlacedThread; isStart: boolean }[] = [];
  for (const entry of placed)
    events.push({ pos: entry.from, entry, isStart: true }, { pos: entry.to, entry, isStart: false });
  events.sort((a, b) => a.pos - b.pos);
  const segments: HighlightSegment[] = [];
  const counts: number[] = []; // how many annotations are over each segment
  // The annotations over the current point, newest first, kept in order as they open and close
  // (in place: at 10,000 threads a new sorted copy at every point was most of this function's
  // time, and its garbage).
  const open: PlacedThread[] = [];
  let i = 0;
  while (i < events.length) {
    const from = (events[i] as (typeof events)[number]).pos;
    for (; i < events.length && (events[i] as (typeof events)[number]).pos === from; i++) {
      const event = events[i] as (typeof events)[number];
      if (event.isStart) open.splice(insertionIndex(open, event.entry), 0, event.entry);
      else {
        // Not open when a passage ends before it starts (`from > to`: not a placed thread).
        const at = open.indexOf(event.entry);
        if (at >= 0) open.splice(at, 1);
      }
    }
    const to = events[i]?.pos;
    if (to === undefined || open.length === 0) continue;
    const top = (open[0] as PlacedThread).thread;
    const color = top.categoryId ? colors[top.categoryId] : undefined;
    const classes = [
      "hl",
      kindClass(top),
      open.length > 1 ? "hl-multi" : "",
      options.isPreview ? "hl-preview" : "",
    ].filter(Boolean);
    const names = [...new Set(open.map((entry) => entry.thread.author.name))];
    segments.push({
      from,
      to,
      attrs: {
        class: classes.join(" "),
        "data-annotations": open.map((entry) => entry.thread.id).join(" "),
        // A category's colour; without one the kind's class gives it (globals.css).
        ...(color ? { style: `--hl-color: ${color}` } : {}),
        title: `${names.join(", ")}${open.length > 1 ? ` · ${open.length} annotations` : ""}`,
      },
    });
    counts.push(open.length);
  }
  countOverlappingRuns(segments, counts);
  return segments;
}

/** Marks the first segment of each run of adjoining overlapped segments with the run's largest count. */
function countOverlappingRuns(segments: HighlightSegment[], counts: readonly number[]) {
  let runStart = -1;
  let runMax = 0;
  const closeRun = () => {
    if (runStart >= 0) (segments[runStart] as HighlightSegment).attrs["data-count"] = String(runMax);
    runStart = -1;
    runMax = 0;
  };
  for (let index = 0; index < segments.length; index++) {
    const count = counts[index] as number;
    const adjoins = index > 0 && (segments[index - 1] as HighlightSegment).to === segments[index]?.from;
    if (count < 2 || !adjoins) closeRun();
    if (count < 2) continue;
    if (runStart < 0) runStart = index;
    runMax = Math.max(runMax, count);
  }
  closeRun();
}
