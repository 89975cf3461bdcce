import type { Rubric, ScoreBreakdown } from "./score";

/** An instructor's score in place of the computed one. */
export type GradeOverrideView = {
  score: number;
  reason: string;
  setByName: string;
  /** ISO 8601. */
  setAt: string;
};

/** One student's score on one reading. */
export type StudentGrade = {
  studentId: string;
  name: string;
  /** Shown to instructors only (null for a student looking at their own score). */
  email: string | null;
  computed: ScoreBreakdown;
  override: GradeOverrideView | null;
  /** The score that counts: the override's when there is one. */
  score: number;
};

/** A reading's rubric and scores: every student's for an instructor, one's own for a student. */
export type ReadingGrades = {
  rubric: Rubric;
  /** ISO 8601, or null when the reading has no due date. */
  dueAt: string | null;
  mayGrade: boolean;
  grades: StudentGrade[];
};
