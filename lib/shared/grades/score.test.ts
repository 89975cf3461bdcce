import { describe, expect, it } from "vitest";
import {
  computeScore,
  DEFAULT_RUBRIC,
  parseRubric,
  RubricError,
  type Contribution,
  type Rubric,
} from "./score";

const rubric: Rubric = { threadPoints: 3, replyPoints: 1, maxPoints: 10, minWords: 5, onTimeOnly: false };
const due = new Date("2026-03-01T12:00:00Z");
const before = new Date("2026-03-01T11:59:59Z");
const after = new Date("2026-03-01T12:00:01Z");
const thread = (words: number, createdAt = before): Contribution => ({ kind: "thread", words, createdAt });
const reply = (words: number, createdAt = before): Contribution => ({ kind: "reply", words, createdAt });

describe("computeScore", () => {
  it("gives nothing for nothing", () => {
    expect(computeScore(rubric, [], due)).toEqual({
      threads: 0,
      replies: 0,
      tooShort: 0,
      late: 0,
      rawPoints: 0,
      points: 0,
      maxPoints: 10,
    });
  });

  it("adds points per thread and per reply", () => {
    const score = computeScore(rubric, [thread(5), reply(6), reply(20)], due);
    expect(score).toMatchObject({ threads: 1, replies: 2, rawPoints: 5, points: 5 });
  });

  it("does not count comments shorter than the minimum", () => {
    const score = computeScore(rubric, [thread(4), reply(0), reply(5)], due);
    expect(score).toMatchObject({ threads: 0, replies: 1, tooShort: 2, points: 1 });
  });

  it("caps the score at the points possible", () => {
    const score = computeScore(rubric, [thread(9), thread(9), thread(9), thread(9)], due);
    expect(score).toMatchObject({ threads: 4, rawPoints: 12, points: 10, maxPoints: 10 });
  });

  it("counts late comments only when the rubric allows them", () => {
    const work = [thread(9, after), reply(9, before), reply(2, after)];
    expect(computeScore(rubric, work, due)).toMatchObject({ threads: 1, replies: 1, late: 0, tooShort: 1 });
    const strict = { ...rubric, onTimeOnly: true };
    // A comment both short and late counts as late.
    expect(computeScore(strict, work, due)).toMatchObject({ threads: 0, replies: 1, late: 2, tooShort: 0 });
    // A comment at the due instant is on time.
    expect(computeScore(strict, [reply(9, due)], due)).toMatchObject({ replies: 1, late: 0 });
    // Without a due date nothing is late.
    expect(computeScore(strict, work, null)).toMatchObject({ late: 0, threads: 1 });
  });

  it("scores any comment at all with a zero minimum", () => {
    const score = computeScore({ ...rubric, minWords: 0 }, [reply(0)], due);
    expect(score).toMatchObject({ replies: 1, tooShort: 0, points: 1 });
  });
});

describe("parseRubric", () => {
  it("accepts the defaults and a valid rubric", () => {
    expect(parseRubric(DEFAULT_RUBRIC)).toEqual(DEFAULT_RUBRIC);
    expect(parseRubric({ ...rubric, extra: "ignored" })).toEqual(rubric);
  });

  it.each([
    [null, undefined],
    [{ ...rubric, threadPoints: -1 }, "threadPoints"],
    [{ ...rubric, replyPoints: 1.5 }, "replyPoints"],
    [{ ...rubric, maxPoints: 0 }, "maxPoints"],
    [{ ...rubric, maxPoints: 1001 }, "maxPoints"],
    [{ ...rubric, minWords: "5" }, "minWords"],
    [{ ...rubric, onTimeOnly: "yes" }, "onTimeOnly"],
  ])("refuses %j, naming the field", (input, field) => {
    let error: unknown;
    try {
      parseRubric(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RubricError);
    expect((error as RubricError).field).toBe(field);
  });
});
