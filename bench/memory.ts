/**
 * The peak resident memory of this process and of its child processes
 * (Chromium, for the PDF export) while some work runs: sampled from /proc
 * every `intervalMs`, since `process.resourceUsage().maxRSS` is the peak of
 * the process's whole life and counts no children.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Peaks, in bytes, over the sampling; the first sample is the baseline. */
export type MemoryPeaks = {
  /** This process's RSS when sampling began. */
  baseRss: number;
  /** This process's highest RSS. */
  peakRss: number;
  /** The highest sum of RSS over this process's descendants (0 where /proc is missing). */
  peakChildrenRss: number;
};

function statusRss(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The summed RSS of every descendant of `root`. */
function descendantsRss(root: number): number {
  const parents = new Map<number, number>();
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return 0;
  }
  for (const name of pids) {
    try {
      // The parent pid is the fourth field, after the command in parentheses.
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parents.set(Number(name), Number(fields[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  let total = 0;
  for (const pid of parents.keys()) {
    let at = parents.get(pid);
    while (at !== undefined && at !== root && at > 1) at = parents.get(at);
    if (at === root) total += statusRss(pid);
  }
  return total;
}

/** Runs `work` while sampling memory; returns its result and the peaks. */
export async function withMemoryPeaks<T>(
  work: () => Promise<T>,
  intervalMs = 200,
): Promise<{ result: T; memory: MemoryPeaks }> {
  const baseRss = process.memoryUsage.rss();
  const memory: MemoryPeaks = { baseRss, peakRss: baseRss, peakChildrenRss: 0 };
  const sample = () => {
    memory.peakRss = Math.max(memory.peakRss, process.memoryUsage.rss());
    memory.peakChildrenRss = Math.max(memory.peakChildrenRss, descendantsRss(process.pid));
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  try {
    const result = await work();
    sample();
    return { result, memory };
  } finally {
    clearInterval(timer);
  }
}
