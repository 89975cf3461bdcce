import { AppError } from "@/lib/shared/errors";
import type { GradeOverrideView } from "@/lib/shared/grades/grade-types";
import { parseRubric, RubricError, type Rubric } from "@/lib/shared/grades/score";
import { db } from "../db";
import { seminarPolicy, type Actor } from "../policies";
import { requireSeminar } from "../policies/require";
import { requireReading } from "../seminars/require-reading";
import { requireStudent } from "./get-reading-grades";

const GRADERS_ONLY = "Only the seminar's instructors can grade.";

/** Highest score an instructor may give. */
export const MAX_OVERRIDE_SCORE = 1000;
/** Longest reason for an override. */
export const MAX_REASON_LENGTH = 1000;

/** Sets a reading's rubric (instructors only). */
export async function setRubric(
  actor: Actor,
  seminarId: string,
  documentId: string,
  input: unknown,
): Promise<Rubric> {
  await requireSeminar(actor, seminarId, seminarPolicy.grade, GRADERS_ONLY);
  const reading = await requireReading(seminarId, documentId, { id: true });
  let rubric: Rubric;
  try {
    rubric = parseRubric(input);
  } catch (error) {
    if (error instanceof RubricError)
      throw new AppError("invalid_input", error.message, error.field ? { field: error.field } : undefined);
    throw error;
  }
  await db.reading.update({
    where: { id: reading.id },
    data: {
      gradeThreadPoints: rubric.threadPoints,
      gradeReplyPoints: rubric.replyPoints,
      gradeMaxPoints: rubric.maxPoints,
      gradeMinWords: rubric.minWords,
      gradeOnTimeOnly: rubric.onTimeOnly,
    },
  });
  return rubric;
}

/** Checks an override's body: `{ score: number, reason: string }`. */
export function parseOverride(input: unknown): { score: number; reason: string } {
  const value = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
  const { score, reason } = value;
  if (typeof score !== "number" || !Number.isFinite(score) || score < 0 || score > MAX_OVERRIDE_SCORE)
    throw new AppError("invalid_input", `“score” must be a number from 0 to ${MAX_OVERRIDE_SCORE}.`, {
      field: "score",
    });
  if (typeof reason !== "string" || reason.trim() === "")
    throw new AppError("invalid_input", "Give a reason for the override.", { field: "reason" });
  if (reason.length > MAX_REASON_LENGTH)
    throw new AppError("invalid_input", `The reason must be at most ${MAX_REASON_LENGTH} characters.`, {
      field: "reason",
    });
  return { score: Math.round(score * 100) / 100, reason: reason.trim() };
}

/** Overrides a student's score on a reading, with a reason (instructors only). */
export async function overrideScore(
  actor: Actor,
  seminarId: string,
  documentId: string,
  studentId: string,
  input: unknown,
): Promise<GradeOverrideView> {
  const access = await requireSeminar(actor, seminarId, seminarPolicy.grade, GRADERS_ONLY);
  const reading = await requireReading(seminarId, documentId, { id: true });
  await requireStudent(seminarId, studentId);
  const { score, reason } = parseOverride(input);
  const setById = access.actor.userId;
  const saved = await db.gradeOverride.upsert({
    where: { readingId_studentId: { readingId: reading.id, studentId } },
    create: { readingId: reading.id, studentId, score, reason, setById },
    update: { score, reason, setById },
    select: { score: true, reason: true, updatedAt: true, setBy: { select: { name: true } } },
  });
  return {
    score: saved.score,
    reason: saved.reason,
    setByName: saved.setBy.name,
    setAt: saved.updatedAt.toISOString(),
  };
}

/** Removes an override: the computed score counts again (instructors only). */
export async function clearOverride(
  actor: Actor,
  seminarId: string,
  documentId: string,
  studentId: string,
): Promise<{ cleared: boolean }> {
  await requireSeminar(actor, seminarId, seminarPolicy.grade, GRADERS_ONLY);
  const reading = await requireReading(seminarId, documentId, { id: true });
  await requireStudent(seminarId, studentId);
  const { count } = await db.gradeOverride.deleteMany({ where: { readingId: reading.id, studentId } });
  return { cleared: count > 0 };
}
