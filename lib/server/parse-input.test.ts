import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isAppError } from "@/lib/shared/errors";
import { parseInput } from "./parse-input";

const ZRequest = z.object({
  title: z.string().min(1, "Give it a title."),
  size: z.number().int().optional(),
});

/** The AppError `run` throws (fails the test if it throws nothing or something else). */
function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

describe("parseInput", () => {
  it("returns the parsed data, with defaults and transforms applied", () => {
    const schema = ZRequest.extend({ tag: z.string().trim().default("none") });
    expect(parseInput(schema, { title: "Notes", tag: "  a  " })).toEqual({ title: "Notes", tag: "a" });
    expect(parseInput(schema, { title: "Notes" })).toEqual({ title: "Notes", tag: "none" });
  });

  it("refuses with invalid_input and the first failing check's message", () => {
    const error = refusal(() => parseInput(ZRequest, { title: "" }, { fallback: "Check the thing." }));
    expect(error.code).toBe("invalid_input");
    expect(error.message).toBe("Give it a title.");
    expect(error.details).toBeUndefined();
  });

  it("says the fixed message instead of the check's when one is given", () => {
    const error = refusal(() => parseInput(ZRequest, { title: "" }, { message: "Choose a title." }));
    expect(error.message).toBe("Choose a title.");
  });

  it("names the failing field, or the whole input, when asked", () => {
    expect(refusal(() => parseInput(ZRequest, { title: "" }, { namesField: "query" })).message).toBe(
      "title: Give it a title.",
    );
    expect(refusal(() => parseInput(ZRequest, 7, { namesField: "query" })).message).toMatch(/^query: /);
  });

  it("lists every failing field when asked", () => {
    const error = refusal(() => parseInput(ZRequest, { title: "", size: 1.5 }, { withFields: true }));
    expect(error.details).toEqual({
      fields: { title: "Give it a title.", size: expect.any(String) as string },
    });
  });

  it("refuses input that is not an object at all", () => {
    expect(refusal(() => parseInput(ZRequest, undefined)).code).toBe("invalid_input");
  });
});
