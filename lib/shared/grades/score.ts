/**
 * Participation scores: what a student's comments on a reading earn under
 * the reading's rubric. Pure, so the page, the API and the gradebook agree.
 */

/** An instructor's rubric for one reading. */
export type Rubric = {
  /** Points for each comment thread the student started. */
  threadPoints: number;
  /** Points for each reply the student wrote. */
  replyPoints: number;
  /** Points possible: the score never exceeds it. */
  maxPoints: number;
  /** The fewest words a comment needs to count. */
  minWords: number;
  /** Only comments written before the due date count (when it has one). */
  onTimeOnly: boolean;
};

/** The rubric a reading has until its instructor changes it. */
export const DEFAULT_RUBRIC: Rubric = {
  threadPoints: 2,
  replyPoints: 1,
  maxPoints: 10,
  minWords: 10,
  onTimeOnly: false,
};

/** Bounds every rubric number must fall within. */
export const RUBRIC_LIMITS = { points: 100, maxPoints: 1000, minWords: 1000 } as const;

/** One comment a student wrote: the opening of a thread, or a reply. */
export type Contribution = {
  kind: "thread" | "reply";
  words: number;
  createdAt: Date;
};

/** A computed score and what it is made of. */
export type ScoreBreakdown = {
  /** Threads and replies that count. */
  threads: number;
  replies: number;
  /** Comments that do not count, and why. */
  tooShort: number;
  late: number;
  /** Points before the cap. */
  rawPoints: number;
  /** The score: rawPoints capped at maxPoints. */
  points: number;
  maxPoints: number;
};

/**
 * Scores a student's comments: each thread and reply with at least
 * `minWords` words (and, when `onTimeOnly` and the reading is due, written
 * before `dueAt`) earns its points; the total is capped at `maxPoints`.
 * A comment that is both short and late counts as late.
 */
export function computeScore(
  rubric: Rubric,
  contributions: Contribution[],
  dueAt: Date | null,
): ScoreBreakdown {
  const breakdown: ScoreBreakdown = {
    threads: 0,
    replies: 0,
    tooShort: 0,
    late: 0,
    rawPoints: 0,
    points: 0,
    maxPoints: rubric.maxPoints,
  };
  for (const contribution of contributions) {
    if (rubric.onTimeOnly && dueAt !== null && contribution.createdAt.getTime() > dueAt.getTime())
      breakdown.late += 1;
    else if (contribution.words < rubric.minWords) breakdown.tooShort += 1;
    else if (contribution.kind === "thread") breakdown.threads += 1;
    else breakdown.replies += 1;
  }
  breakdown.rawPoints = breakdown.threads * rubric.threadPoints + breakdown.replies * rubric.replyPoints;
  breakdown.points = Math.min(breakdown.rawPoints, rubric.maxPoints);
  return breakdown;
}

/** A rubric checked field by field; throws a message naming the bad field. */
export function parseRubric(input: unknown): Rubric {
  if (typeof input !== "object" || input === null) throw new RubricError("The rubric must be an object.");
  const value = input as Record<string, unknown>;
  const whole = (field: keyof Rubric, max: number): number => {
    const n = value[field];
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > max)
      throw new RubricError(`“${field}” must be a whole number from 0 to ${max}.`, field);
    return n;
  };
  if (typeof value.onTimeOnly !== "boolean")
    throw new RubricError("“onTimeOnly” must be true or false.", "onTimeOnly");
  const rubric: Rubric = {
    threadPoints: whole("threadPoints", RUBRIC_LIMITS.points),
    replyPoints: whole("replyPoints", RUBRIC_LIMITS.points),
    maxPoints: whole("maxPoints", RUBRIC_LIMITS.maxPoints),
    minWords: whole("minWords", RUBRIC_LIMITS.minWords),
    onTimeOnly: value.onTimeOnly,
  };
  if (rubric.maxPoints === 0) throw new RubricError("“maxPoints” must be at least 1.", "maxPoints");
  return rubric;
}

/** A rubric that does not parse. */
export class RubricError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "RubricError";
  }
}
