/**
 * The bench's trace reader (bench/trace.ts) on a small trace written here: which thread is the
 * page's, which tasks it lists and what each did, and how long each function took by the trace's
 * CPU samples.
 */
import { describe, expect, it } from "vitest";
import { summariseTrace, type TraceEvent } from "../../bench/trace";

const PAGE = { pid: 10, tid: 10 };
const OTHER = { pid: 20, tid: 20 };
const SAMPLER_TID = 11;

function thread(at: { pid: number; tid: number }): TraceEvent {
  return { name: "thread_name", ph: "M", ts: 0, ...at, args: { name: "CrRendererMain" } };
}

function complete(
  name: string,
  at: { pid: number; tid: number },
  ts: number,
  dur: number,
  data = {},
): TraceEvent {
  return { name, ph: "X", ts, dur, ...at, args: { data } };
}

/**
 * A profile of the page's thread whose samples fall at `times` (µs) in the functions named
 * (`idle` between tasks), in one chunk from the sampler's thread.
 */
function profile(samples: { at: number; in: "evaluate" | "burst" | "spread" | "idle" }[]): TraceEvent[] {
  const frame = (functionName: string) => ({ functionName, url: "https://app/chunk.js", lineNumber: 0 });
  const nodes = [
    { id: 1, callFrame: { functionName: "(root)" } },
    { id: 2, parent: 1, callFrame: frame("evaluate") },
    { id: 3, parent: 1, callFrame: frame("burst") },
    { id: 4, parent: 1, callFrame: frame("spread") },
    { id: 5, parent: 1, callFrame: { functionName: "(idle)" } },
  ];
  const ids = { evaluate: 2, burst: 3, spread: 4, idle: 5 };
  const deltas = samples.map(
    (sample, index) => sample.at - (index === 0 ? 0 : (samples[index - 1]?.at ?? 0)),
  );
  return [
    { name: "Profile", ph: "P", ts: 0, ...PAGE, id: "0x1", args: { data: { startTime: 0 } } },
    {
      name: "ProfileChunk",
      ph: "P",
      ts: 1,
      pid: PAGE.pid,
      tid: SAMPLER_TID,
      id: "0x1",
      args: {
        data: {
          cpuProfile: { nodes, samples: samples.map((sample) => ids[sample.in]) },
          timeDeltas: deltas,
        },
      },
    },
  ];
}

describe("summariseTrace", () => {
  const events: TraceEvent[] = [
    thread(PAGE),
    thread(OTHER),
    // The page's thread: a 40 ms evaluation, a 10 ms task (under the threshold), and a 60 ms task
    // with a call that forces a layout inside it.
    complete("RunTask", PAGE, 1_000, 40_000),
    complete("EvaluateScript", PAGE, 1_000, 39_000, { url: "https://app/_next/static/chunks/abc.js" }),
    complete("RunTask", PAGE, 50_000, 10_000),
    complete("RunTask", PAGE, 100_000, 60_000),
    complete("FunctionCall", PAGE, 100_000, 59_000, { functionName: "work", url: "https://app/x.js" }),
    complete("Layout", PAGE, 120_000, 5_000),
    // Another renderer, busy for less time in all: not the page's.
    complete("RunTask", OTHER, 0, 30_000),
    ...profile([
      { at: 1_000, in: "idle" },
      { at: 21_000, in: "evaluate" },
      { at: 41_000, in: "evaluate" },
      { at: 100_000, in: "idle" },
      // 20 ms in `spread`, sampled twice; then ten samples of `burst` in 1 ms; then 39 ms of `spread`.
      { at: 110_000, in: "spread" },
      { at: 120_000, in: "spread" },
      ...Array.from({ length: 10 }, (_, index) => ({ at: 120_100 + index * 100, in: "burst" as const })),
      { at: 160_000, in: "spread" },
    ]),
  ];

  it("lists the page's tasks over the threshold, each with its top-level work and forced layouts", () => {
    const tasks = summariseTrace(events, { minMs: 30 });
    expect(tasks.map((task) => [task.startMs, task.durationMs])).toEqual([
      [0, 40],
      [99, 60],
    ]);
    expect(tasks[0]?.work).toEqual(["Evaluate abc.js 39"]);
    expect(tasks[1]?.work).toEqual(["Call work x.js:1 59", "Layout 5"]);
  });

  it("weighs each sample by the time since the one before it, not one for one", () => {
    const [evaluation, task] = summariseTrace(events, {
      minMs: 30,
      isListed: (name) => !name.startsWith("("),
    });
    expect(evaluation?.functions).toEqual([{ name: "evaluate chunk.js:1", ms: 40 }]);
    // Counted one for one, `burst` (10 samples) would outweigh `spread` (3 samples).
    expect(task?.functions).toEqual([
      { name: "spread chunk.js:1", ms: 59 },
      { name: "burst chunk.js:1", ms: 1 },
    ]);
  });
});
