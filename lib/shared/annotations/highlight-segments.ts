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
    style: string;
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
 * One sweep over the sorted range ends, keeping the annotations open at each
 * point: O(n log n + segments × depth). `isPreview` marks the segments
 * `hl-preview` (drawn from the server's first-screen passages, not the room).
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
  let open: PlacedThread[] = [];
  let previousCount = 0;
  let i = 0;
  while (i < events.length) {
    const from = (events[i] as (typeof events)[number]).pos;
    let changed = false;
    for (; i < events.length && (events[i] as (typeof events)[number]).pos === from; i++) {
      const event = events[i] as (typeof events)[number];
      if (event.isStart) open.push(event.entry);
      else open = open.filter((entry) => entry !== event.entry);
      changed = true;
    }
    if (changed) open.sort((a, b) => b.thread.createdAt.localeCompare(a.thread.createdAt));
    const to = events[i]?.pos;
    if (to === undefined || open.length === 0) {
      previousCount = 0;
      continue;
    }
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
        ...(open.length > 1 && open.length !== previousCount ? { "data-count": String(open.length) } : {}),
        style: `--hl-color: ${color ?? "var(--hl-default)"}; --hl-layers: ${Math.min(open.length, 4)}`,
        title: `${names.join(", ")}${open.length > 1 ? ` · ${open.length} annotations` : ""}`,
      },
    });
    previousCount = open.length;
  }
  return segments;
}
