import { describe, expect, it } from "vitest";
import { threadIdFromHash, threadPath } from "./urls";

describe("threadIdFromHash", () => {
  it("reads #thread-<id> and nothing else", () => {
    expect(threadIdFromHash("#thread-abc123")).toBe("abc123");
    expect(threadIdFromHash("#note-4")).toBeNull();
    expect(threadIdFromHash("")).toBeNull();
    expect(threadIdFromHash("#thread-<img>")).toBeNull();
  });

  it("reads what threadPath writes", () => {
    const path = threadPath("seminar1", "document1", "cmxthread42");
    expect(threadIdFromHash(path.slice(path.indexOf("#")))).toBe("cmxthread42");
  });
});
