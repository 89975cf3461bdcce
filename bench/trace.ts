/**
 * Reads a Chromium trace (CDP `Tracing`, the events of `Tracing.dataCollected`) the way the
 * reading page's bench needs it: the renderer's main-thread tasks over a threshold, one by one,
 * each with what it did at its top level (a script's evaluation by file, a call, style, layout,
 * garbage collection) and, from the trace's own CPU samples, the functions that took its time.
 * A CPU profile (`bench/cpu-profile.ts`) cannot tell tasks apart: its busy stretches run
 * adjacent tasks together, and the goal is per task. Not part of `npm test`.
 */
import { nameFrame, type CallFrame, type FrameLocator } from "./cpu-profile";

/** The categories `summariseTrace` reads. */
export const TRACE_CATEGORIES = [
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "v8.execute",
  "disabled-by-default-v8.cpu_profiler",
];

/** The parts of a trace event this reads (times in microseconds). */
export type TraceEvent = {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  /** Ties a profile's chunks to it. */
  id?: string;
  args?: { name?: string; data?: Record<string, unknown> };
};

type ProfileNode = { id: number; parent?: number; callFrame: CallFrame };
/** A profile chunk's node: the engine's own frames come without a place. */
type ChunkNode = { id: number; parent?: number; callFrame: Partial<CallFrame> };
type ProfileChunkData = {
  cpuProfile?: { nodes?: ChunkNode[]; samples?: number[] };
  timeDeltas?: number[];
};

/** One main-thread task: when (ms after the trace's first task), how long, what it did. */
export type TraceTask = {
  startMs: number;
  durationMs: number;
  /** Its top-level work over 3 ms, in order ("Evaluate 0ca1….js 131", "Layout 20"). */
  work: string[];
  /** The functions its CPU samples fell in, inclusive, longest first. */
  functions: { name: string; ms: number }[];
};

/** The work worth naming in a task's top level. */
const NAMED_WORK = new Set([
  "EvaluateScript",
  "FunctionCall",
  "TimerFire",
  "FireAnimationFrame",
  "EventDispatch",
  "RunMicrotasks",
  "ParseHTML",
  "UpdateLayoutTree",
  "Layout",
  "Paint",
  "MajorGC",
  "MinorGC",
]);

/**
 * The main thread's tasks of `minMs` or more in the renderer that worked the longest (the page's),
 * in order. `locate` names minified frames by their source maps; `isListed` picks which functions
 * a task lists (all unless given); `topN` how many.
 */
export function summariseTrace(
  events: readonly TraceEvent[],
  options: {
    minMs?: number;
    locate?: FrameLocator;
    isListed?: (name: string) => boolean;
    topN?: number;
  } = {},
): TraceTask[] {
  const minUs = (options.minMs ?? 30) * 1000;
  const main = pageMainThread(events);
  if (!main) return [];
  const own = events
    .filter((event) => event.pid === main.pid && event.tid === main.tid && event.ph === "X")
    .sort((a, b) => a.ts - b.ts);
  const tasks = own.filter((event) => event.name === "RunTask");
  const origin = tasks[0]?.ts ?? 0;
  const samples = cpuSamples(events, main.pid, main.tid);
  const label = frameLabeller(samples.nodes, options.locate);

  const summaries: TraceTask[] = [];
  let cursor = 0;
  for (const task of tasks) {
    const end = task.ts + (task.dur ?? 0);
    if ((task.dur ?? 0) < minUs) continue;
    const inside = own.filter((event) => event !== task && event.ts >= task.ts && event.ts <= end);
    const work: string[] = [];
    let coveredUntil = -1;
    for (const event of inside) {
      const dur = event.dur ?? 0;
      if (!NAMED_WORK.has(event.name) || dur < 3000) continue;
      // Top level only, but style and layout wherever they are forced (inside a script's call).
      const isLayout = event.name === "Layout" || event.name === "UpdateLayoutTree";
      if (event.ts < coveredUntil && !isLayout) continue;
      if (!isLayout) coveredUntil = event.ts + dur;
      work.push(`${workName(event, options.locate)} ${Math.round(dur / 1000)}`);
    }
    while (cursor < samples.times.length && (samples.times[cursor] as number) < task.ts) cursor++;
    // Each sample stands for the time since the one before it (the sampler does not tick evenly:
    // counting samples overstates whatever it sampled in a burst).
    const inclusive = new Map<string, number>();
    for (let i = cursor; i < samples.times.length && (samples.times[i] as number) <= end; i++) {
      const since = Math.max(task.ts, i > 0 ? (samples.times[i - 1] as number) : task.ts);
      const weightUs = (samples.times[i] as number) - since;
      for (const name of new Set(samples.stacks(samples.ids[i] as number).map(label)))
        inclusive.set(name, (inclusive.get(name) ?? 0) + weightUs);
    }
    summaries.push({
      startMs: Math.round((task.ts - origin) / 1000),
      durationMs: Math.round((task.dur ?? 0) / 1000),
      work,
      functions: [...inclusive]
        .filter(([name]) => options.isListed?.(name) ?? true)
        .sort((a, b) => b[1] - a[1])
        .slice(0, options.topN ?? 6)
        .map(([name, us]) => ({ name, ms: Math.round(us / 1000) })),
    });
  }
  return summaries;
}

/** The tasks, one per line, with their work and then their functions indented under them. */
export function formatTraceTasks(tasks: readonly TraceTask[]): string {
  return tasks
    .map((task) =>
      [
        `  ${task.startMs}+${task.durationMs} ms: ${task.work.join(" | ") || "(nothing over 3 ms)"}`,
        ...task.functions.map((entry) => `      ${String(entry.ms).padStart(5)}  ${entry.name}`),
      ].join("\n"),
    )
    .join("\n");
}

/** The renderer main thread (`CrRendererMain`) with the most task time: the page's. */
function pageMainThread(events: readonly TraceEvent[]): { pid: number; tid: number } | null {
  const busy = new Map<string, number>();
  for (const event of events)
    if (event.name === "RunTask" && event.ph === "X") {
      const key = `${event.pid}:${event.tid}`;
      busy.set(key, (busy.get(key) ?? 0) + (event.dur ?? 0));
    }
  let best: { pid: number; tid: number; busy: number } | null = null;
  for (const event of events) {
    if (event.name !== "thread_name" || event.args?.name !== "CrRendererMain") continue;
    const time = busy.get(`${event.pid}:${event.tid}`) ?? 0;
    if (!best || time > best.busy) best = { pid: event.pid, tid: event.tid, busy: time };
  }
  return best;
}

/**
 * The trace's CPU samples of one thread: their times (µs, the trace's clock) and stacks. The
 * thread's `Profile` event starts them; its chunks come from the sampler's own thread, under the
 * profile's id.
 */
function cpuSamples(events: readonly TraceEvent[], pid: number, tid: number) {
  const nodes = new Map<number, ProfileNode>();
  const times: number[] = [];
  const ids: number[] = [];
  const start = events.find((event) => event.name === "Profile" && event.pid === pid && event.tid === tid);
  let clock = Number((start?.args?.data as { startTime?: number } | undefined)?.startTime ?? 0);
  const chunks = events
    .filter((event) => event.name === "ProfileChunk" && event.pid === pid && event.id === start?.id)
    .sort((a, b) => a.ts - b.ts);
  for (const chunk of chunks) {
    const data = (chunk.args?.data ?? {}) as ProfileChunkData;
    for (const node of data.cpuProfile?.nodes ?? [])
      nodes.set(node.id, {
        ...node,
        // The engine's own frames ("(program)", "(garbage collector)") come without a place.
        callFrame: {
          functionName: node.callFrame.functionName ?? "",
          url: node.callFrame.url ?? "",
          lineNumber: node.callFrame.lineNumber ?? 0,
          columnNumber: node.callFrame.columnNumber ?? 0,
        },
      });
    const deltas = data.timeDeltas ?? [];
    (data.cpuProfile?.samples ?? []).forEach((id, index) => {
      clock += deltas[index] ?? 0;
      times.push(clock);
      ids.push(id);
    });
  }
  const stacks = (leaf: number): number[] => {
    const stack: number[] = [];
    for (let id: number | undefined = leaf; id !== undefined; id = nodes.get(id)?.parent) stack.push(id);
    return stack;
  };
  return { nodes, times, ids, stacks };
}

function frameLabeller(nodes: Map<number, ProfileNode>, locate?: FrameLocator): (id: number) => string {
  const labels = new Map<number, string>();
  return (id) => {
    const known = labels.get(id);
    if (known !== undefined) return known;
    const frame = nodes.get(id)?.callFrame ?? {
      functionName: "(unknown)",
      url: "",
      lineNumber: 0,
      columnNumber: 0,
    };
    const label = nameFrame(frame, locate);
    labels.set(id, label);
    return label;
  };
}

function workName(event: TraceEvent, locate?: FrameLocator): string {
  const data = (event.args?.data ?? {}) as Partial<CallFrame>;
  if (event.name === "EvaluateScript") return `Evaluate ${String(data.url ?? "").replace(/^.*\//, "")}`;
  if (event.name === "FunctionCall") {
    const frame: CallFrame = {
      functionName: String(data.functionName ?? ""),
      url: String(data.url ?? ""),
      // The trace's call positions count lines from 1; a profile's frames from 0.
      lineNumber: Math.max(0, Number(data.lineNumber ?? 1) - 1),
      columnNumber: Number(data.columnNumber ?? 0),
    };
    return `Call ${nameFrame(frame, locate)}`;
  }
  return event.name;
}
