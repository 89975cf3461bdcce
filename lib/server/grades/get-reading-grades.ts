import { AppError } from "@/lib/shared/errors";
import type { ReadingGrades, StudentGrade } from "@/lib/shared/grades/grade-types";
import { computeScore, type Contribution, type Rubric } from "@/lib/shared/grades/score";
import { db } from "../db";
import { seminarPolicy, type Actor } from "../policies";
import { requireSeminar } from "../policies/require";
import { findActivityThreads } from "../review/activity-threads";
import { requireReading } from "../seminars/require-reading";

/** The reading fields a score needs. */
export const GRADED_READING_SELECT = {
  id: true,
  dueAt: true,
  gradeThreadPoints: true,
  gradeReplyPoints: true,
  gradeMaxPoints: true,
  gradeMinWords: true,
  gradeOnTimeOnly: true,
} as const;

type GradedReading = {
  gradeThreadPoints: number;
  gradeReplyPoints: number;
  gradeMaxPoints: number;
  gradeMinWords: number;
  gradeOnTimeOnly: boolean;
};

/** A reading row's rubric. */
export function rubricOf(reading: GradedReading): Rubric {
  return {
    threadPoints: reading.gradeThreadPoints,
    replyPoints: reading.gradeReplyPoints,
    maxPoints: reading.gradeMaxPoints,
    minWords: reading.gradeMinWords,
    onTimeOnly: reading.gradeOnTimeOnly,
  };
}

/**
 * Each author's comments in a reading's shared layer: the opening comment of
 * each thread they started and each reply, deleted ones left out (hidden ones
 * stay: the student wrote them). Highlights carry no text and earn nothing;
 * private notes never count.
 */
export async function loadContributions(
  seminarId: string,
  documentId: string,
): Promise<Map<string, Contribution[]>> {
  const byAuthor = new Map<string, Contribution[]>();
  const add = (authorId: string, contribution: Contribution) => {
    const list = byAuthor.get(authorId) ?? [];
    list.push(contribution);
    byAuthor.set(authorId, list);
  };
  for (const thread of await findActivityThreads(seminarId, documentId))
    for (const comment of thread.comments)
      add(comment.authorId, {
        kind: comment.opens ? "thread" : "reply",
        words: comment.words,
        createdAt: comment.createdAt,
      });
  return byAuthor;
}

/**
 * A reading's rubric and participation scores. Instructors see every
 * student's; a student sees their own alone; non-members get not_found.
 */
export async function getReadingGrades(
  actor: Actor,
  seminarId: string,
  documentId: string,
): Promise<ReadingGrades> {
  const access = await requireSeminar(actor, seminarId, seminarPolicy.viewOwnScore);
  const reading = await requireReading(seminarId, documentId, GRADED_READING_SELECT);
  const mayGrade = seminarPolicy.grade(access);
  const students = await db.membership.findMany({
    where: { seminarId, role: "STUDENT", ...(mayGrade ? {} : { userId: access.actor.userId }) },
    select: { user: { select: { id: true, name: true, email: true } } },
  });
  const rubric = rubricOf(reading);
  const contributions = await loadContributions(seminarId, documentId);
  const overrides = await db.gradeOverride.findMany({
    where: { readingId: reading.id, studentId: { in: students.map((s) => s.user.id) } },
    select: {
      studentId: true,
      score: true,
      reason: true,
      updatedAt: true,
      setBy: { select: { name: true } },
    },
  });
  const overrideOf = new Map(overrides.map((o) => [o.studentId, o]));

  const grades: StudentGrade[] = students.map(({ user }) => {
    const computed = computeScore(rubric, contributions.get(user.id) ?? [], reading.dueAt);
    const found = overrideOf.get(user.id);
    const override = found
      ? {
          score: found.score,
          reason: found.reason,
          setByName: found.setBy.name,
          setAt: found.updatedAt.toISOString(),
        }
      : null;
    return {
      studentId: user.id,
      name: user.name,
      email: mayGrade ? user.email : null,
      computed,
      override,
      score: override ? override.score : computed.points,
    };
  });
  grades.sort((a, b) => a.name.localeCompare(b.name) || a.studentId.localeCompare(b.studentId));
  return { rubric, dueAt: reading.dueAt?.toISOString() ?? null, mayGrade, grades };
}

/** Throws not_found unless `studentId` is a student of the seminar. */
export async function requireStudent(seminarId: string, studentId: string): Promise<void> {
  const membership = await db.membership.findUnique({
    where: { userId_seminarId: { userId: studentId, seminarId } },
    select: { role: true },
  });
  if (membership?.role !== "STUDENT")
    throw new AppError("not_found", "There is no such student in this seminar.");
}
