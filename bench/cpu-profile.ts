import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { originalPositionFor, TraceMap } from "@jridgewell/trace-mapping";

/**
 * Reads a V8 CPU profile (CDP `Profiler.stop`, or a `.cpuprofile` file) the
 * way the reading page's bench needs it: the main thread's busy stretches
 * (runs of samples with no idle between them: what the browser reports as
 * long tasks) and, for each and overall, where the time went by function,
 * inclusive of what it called. Not part of `npm test`.
 */

/** The parts of a CDP `Profiler.Profile` this reads. */
export type CpuProfile = {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    children?: number[];
  }[];
  /** Microseconds. */
  startTime: number;
  endTime: number;
  samples: number[];
  /** Microseconds since the previous sample. */
  timeDeltas: number[];
};

/** A profile's call frame: a function and where it is defined. */
export type CallFrame = CpuProfile["nodes"][number]["callFrame"];

/** Names a call frame (a function and where it is defined); null to use the profile's own name. */
export type FrameLocator = (frame: CallFrame) => string | null;

/** A frame's name: `locate`'s (from source maps) when it knows the frame, else the function and its file:line. */
export function nameFrame(frame: CallFrame, locate?: FrameLocator): string {
  const located = locate?.(frame) ?? null;
  if (located !== null) return located;
  const file = frame.url.replace(/^.*\//, "");
  return `${frame.functionName || "(anonymous)"}${file ? ` ${file}:${frame.lineNumber + 1}` : ""}`;
}

/**
 * Names frames of the app's minified browser bundles by their source maps
 * (each script's `sourceMappingURL`, built with MARGINALIA_BROWSER_SOURCE_MAPS=1):
 * "function source-file:line" as written, not "a 123-abc.js:1".
 */
export function createSourceMapLocator(root: string): FrameLocator {
  const maps = new Map<string, TraceMap | null>();
  const mapOf = (url: string) => {
    const match = /\/_next\/(static\/.*\.js)/.exec(url);
    if (!match) return null;
    const script = path.join(root, ".next", decodeURIComponent(match[1] as string));
    if (!maps.has(script)) maps.set(script, readMap(script));
    return maps.get(script) ?? null;
  };
  return (frame) => {
    const map = frame.url ? mapOf(frame.url) : null;
    if (!map) return null;
    const original = originalPositionFor(map, { line: frame.lineNumber + 1, column: frame.columnNumber });
    if (!original.source) return null;
    const source = original.source
      .replace(/^.*?\/node_modules\//, "~/")
      .replace(/^webpack:\/\/_N_E\//, "")
      .replace(/^.*?\/(app|lib)\//, "$1/")
      .replace(/\?.*$/, "");
    // A minified name ("a", "eN") says nothing; the map's name, or the place, does.
    const name = original.name ?? (frame.functionName.length > 2 ? frame.functionName : "(anonymous)");
    return `${name} ${source}:${original.line}`;
  };
}

/** Our code, the editor's and Yjs' libraries, and the engine's own work: what the page's time is spent on. */
export function isPageWork(name: string): boolean {
  return /^\((program|garbage collector)\)| (app|lib)\/|~\/(yjs|y-protocols|lib0|prosemirror-[a-z]+|@tiptap\/[a-z-]+|zod)\//.test(
    name,
  );
}

/** The source map a script names (its `sourceMappingURL`: Turbopack's maps are not named after their chunks). */
function readMap(script: string): TraceMap | null {
  if (!existsSync(script)) return null;
  const tail = readFileSync(script, "utf8").slice(-500);
  const name = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(tail)?.[1];
  const file = name ? path.join(path.dirname(script), name) : `${script}.map`;
  return existsSync(file) ? new TraceMap(readFileSync(file, "utf8")) : null;
}

/** A function's share of some stretch of time. */
export type FunctionTime = { name: string; ms: number };

/** A run of busy samples. */
export type BusyStretch = {
  /** ms since the profile started. */
  startMs: number;
  durationMs: number;
  /** Functions by inclusive time within the stretch, longest first. */
  top: FunctionTime[];
};

const IDLE = new Set(["(idle)"]);

/** Busy stretches of at least `minMs`, each with its `topN` functions, and the overall top functions. */
export function summariseProfile(
  profile: CpuProfile,
  options: {
    minMs?: number;
    topN?: number;
    locate?: FrameLocator;
    /** Which functions the stretches list (all by default; e.g. only ours and the editor's libraries). */
    isListed?: (name: string) => boolean;
  } = {},
): { stretches: BusyStretch[]; inclusive: FunctionTime[]; self: FunctionTime[]; totalBusyMs: number } {
  const minMs = options.minMs ?? 50;
  const topN = options.topN ?? 8;
  const parent = new Map<number, number>();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const labels = new Map<number, string>();
  const label = (id: number) => {
    const known = labels.get(id);
    if (known !== undefined) return known;
    const name = nameFrame((byId.get(id) as CpuProfile["nodes"][number]).callFrame, options.locate);
    labels.set(id, name);
    return name;
  };
  /** Each function on the sample's stack once (recursion counts once). */
  const stackOf = new Map<number, string[]>();
  const stack = (leaf: number) => {
    const known = stackOf.get(leaf);
    if (known) return known;
    const names = new Set<string>();
    for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) names.add(label(id));
    const list = [...names];
    stackOf.set(leaf, list);
    return list;
  };

  const inclusive = new Map<string, number>();
  const self = new Map<string, number>();
  const stretches: BusyStretch[] = [];
  let current: { startMs: number; endMs: number; times: Map<string, number> } | null = null;
  let totalBusyMs = 0;
  let clock = 0;
  const close = () => {
    if (current && current.endMs - current.startMs >= minMs)
      stretches.push({
        startMs: Math.round(current.startMs),
        durationMs: Math.round(current.endMs - current.startMs),
        top: sortTimes(current.times, topN),
      });
    current = null;
  };
  profile.samples.forEach((sample, i) => {
    const delta = (profile.timeDeltas[i] ?? 0) / 1000;
    clock += delta;
    // A sample stands for the time until the next one.
    const span = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const leaf = label(sample);
    if (IDLE.has(leaf.split(" ")[0] as string)) {
      close();
      return;
    }
    totalBusyMs += span;
    current ??= { startMs: clock, endMs: clock, times: new Map() };
    current.endMs = clock + span;
    self.set(leaf, (self.get(leaf) ?? 0) + span);
    for (const name of stack(sample)) {
      inclusive.set(name, (inclusive.get(name) ?? 0) + span);
      if (options.isListed?.(name) ?? true) current.times.set(name, (current.times.get(name) ?? 0) + span);
    }
  });
  close();
  return {
    stretches,
    inclusive: sortTimes(inclusive, 40),
    self: sortTimes(self, 25),
    totalBusyMs: Math.round(totalBusyMs),
  };
}

function sortTimes(times: Map<string, number>, count: number): FunctionTime[] {
  return [...times]
    .filter(([name]) => name !== "(root)")
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, ms]) => ({ name, ms: Math.round(ms) }));
}

/** The summary as text, for the bench's output. */
export function formatProfileSummary(summary: ReturnType<typeof summariseProfile>): string {
  const lines = [`busy ${summary.totalBusyMs} ms; stretches over 50 ms:`];
  for (const stretch of summary.stretches) {
    lines.push(`  at ${stretch.startMs} ms, ${stretch.durationMs} ms:`);
    for (const entry of stretch.top) lines.push(`      ${String(entry.ms).padStart(6)}  ${entry.name}`);
  }
  lines.push("inclusive, whole run:");
  for (const entry of summary.inclusive) lines.push(`  ${String(entry.ms).padStart(6)}  ${entry.name}`);
  lines.push("self, whole run:");
  for (const entry of summary.self) lines.push(`  ${String(entry.ms).padStart(6)}  ${entry.name}`);
  return lines.join("\n");
}
