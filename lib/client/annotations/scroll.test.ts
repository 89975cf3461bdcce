import { describe, expect, it } from "vitest";
import { HEADER_HEIGHT, isOutOfView } from "./scroll";

describe("whether the reading page scrolls to a thread", () => {
  const viewport = 800;
  it.each<[string, { top: number; bottom: number }, boolean]>([
    ["in plain sight", { top: 200, bottom: 300 }, false],
    ["just below the header", { top: HEADER_HEIGHT, bottom: HEADER_HEIGHT + 40 }, false],
    ["touching the bottom edge", { top: 700, bottom: viewport }, false],
    ["partly under the header", { top: HEADER_HEIGHT - 1, bottom: 200 }, true],
    ["above the viewport", { top: -400, bottom: -300 }, true],
    ["cut off at the bottom", { top: 760, bottom: viewport + 1 }, true],
    ["below the viewport", { top: 2000, bottom: 2100 }, true],
  ])("%s", (_name, box, expected) => {
    expect(isOutOfView(box, viewport)).toBe(expected);
  });
});
