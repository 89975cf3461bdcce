import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { latestAfterNextFrame } from "./after-next-frame";

// Node has no frames: a frame is drawn here when the test says so.
let frameCallbacks: FrameRequestCallback[] = [];
function drawFrame() {
  const due = frameCallbacks;
  frameCallbacks = [];
  for (const callback of due) callback(0);
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal("requestAnimationFrame", (callback: FrameRequestCallback) => frameCallbacks.push(callback));
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
  frameCallbacks = [];
});

describe("latestAfterNextFrame", () => {
  it("applies the last value given, once, in a task after the next frame", () => {
    const applied: number[] = [];
    const later = latestAfterNextFrame((value: number) => applied.push(value));
    later(1);
    later(2);
    vi.runAllTimers();
    expect(applied).toEqual([]); // no frame yet
    expect(frameCallbacks).toHaveLength(1);
    later(3);
    drawFrame();
    expect(applied).toEqual([]); // the frame itself (its layout) comes first
    vi.runAllTimers();
    expect(applied).toEqual([3]);
  });

  it("waits for another frame for a value given after the last was applied", () => {
    const applied: string[] = [];
    const later = latestAfterNextFrame((value: string) => applied.push(value));
    later("a");
    drawFrame();
    later("b"); // after the frame, before its task ran: still the same call
    vi.runAllTimers();
    expect(applied).toEqual(["b"]);
    later("c");
    vi.runAllTimers();
    expect(applied).toEqual(["b"]);
    drawFrame();
    vi.runAllTimers();
    expect(applied).toEqual(["b", "c"]);
  });
});
