import { useEffect, useState } from "react";

/**
 * How many of `count` steps a component has taken since `isStarted` turned true: one more in
 * each task, a `setTimeout` after the render that showed the last. Work gated on `step >= n`
 * then runs in a task of its own instead of in the one that started it, so the browser can
 * draw and answer input between the steps (the reading page's first render, docs/adr/0034).
 *
 * Once taken, a step stays taken (`isStarted` turning false later does not go back).
 */
export function useStepsInTasks(isStarted: boolean, count: number): number {
  const [step, setStep] = useState(0);
  useEffect(() => {
    if (!isStarted || step >= count) return;
    const timer = setTimeout(() => setStep(step + 1), 0);
    return () => clearTimeout(timer);
  }, [isStarted, step, count]);
  return step;
}
