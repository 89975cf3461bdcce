import { describe, expect, it } from "vitest";
import { passageWords } from "./passage-words";

describe("a passage's words, now and as they were marked", () => {
  it("shows the text as it reads now, with no history when it reads as marked", () => {
    expect(passageWords("the exotic Mexico", "the exotic Mexico")).toEqual({
      current: "the exotic Mexico",
      original: null,
    });
  });

  it("takes a change of spacing or line breaks for no change of words", () => {
    expect(passageWords("the exotic\nMexico ", "the  exotic Mexico")).toEqual({
      current: "the exotic\nMexico ",
      original: null,
    });
  });

  it("keeps the words it was made on when an edit changed them", () => {
    expect(passageWords("the foreign Mexico", "the exotic Mexico")).toEqual({
      current: "the foreign Mexico",
      original: "the exotic Mexico",
    });
  });

  it("falls back on the stored quote when the passage is gone or holds no words", () => {
    expect(passageWords(null, "the exotic Mexico")).toEqual({ current: "the exotic Mexico", original: null });
    expect(passageWords(" \n\t", "the exotic Mexico")).toEqual({
      current: "the exotic Mexico",
      original: null,
    });
    expect(passageWords("", "the exotic Mexico")).toEqual({ current: "the exotic Mexico", original: null });
  });
});
