import Link from "next/link";
import type { StudentGrade } from "@/lib/shared/grades/grade-types";
import type { ScoreBreakdown } from "@/lib/shared/grades/score";
import { formatDay } from "@/lib/shared/review/snapshots";
import { OverrideForm } from "./override-form";

type Props = {
  grades: StudentGrade[];
  /** The review page filtered to one participant's threads. */
  hrefFor: (studentId: string) => string;
  /** The API address of one student's override. */
  overrideUrlFor: (studentId: string) => string;
};

/** What a computed score is made of, in words. */
export function describeScore(score: ScoreBreakdown): string {
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const parts = [plural(score.threads, "thread", "threads"), plural(score.replies, "reply", "replies")];
  if (score.tooShort > 0) parts.push(`${score.tooShort} too short`);
  if (score.late > 0) parts.push(`${score.late} late`);
  if (score.rawPoints > score.maxPoints) parts.push(`capped from ${score.rawPoints}`);
  return parts.join(" · ");
}

/** Every student's score on the reading, with overrides (instructors). */
export function GradesTable({ grades, hrefFor, overrideUrlFor }: Props) {
  return (
    <div className="participation-scroll" role="region" aria-label="Scores per student" tabIndex={0}>
      <table className="participation-table grades-table">
        <caption className="sr-only">
          Participation scores per student: computed, override and reason.
        </caption>
        <thead>
          <tr>
            <th scope="col">Student</th>
            <th scope="col" className="num">
              Computed
            </th>
            <th scope="col">Made of</th>
            <th scope="col" className="num">
              Score
            </th>
            <th scope="col">Override</th>
          </tr>
        </thead>
        <tbody>
          {grades.map((grade) => (
            <tr key={grade.studentId}>
              <th scope="row">
                <Link href={hrefFor(grade.studentId)} title={`Show ${grade.name}’s threads`}>
                  {grade.name}
                </Link>
              </th>
              <td className="num">
                {grade.computed.points} / {grade.computed.maxPoints}
              </td>
              <td>{describeScore(grade.computed)}</td>
              <td className="num">
                <strong>{grade.score}</strong>
              </td>
              <td>
                {grade.override && (
                  <p className="override-note">
                    Overridden: “{grade.override.reason}” — {grade.override.setByName},{" "}
                    <time dateTime={grade.override.setAt}>{formatDay(grade.override.setAt)}</time>
                  </p>
                )}
                <OverrideForm
                  url={overrideUrlFor(grade.studentId)}
                  studentName={grade.name}
                  hasOverride={grade.override !== null}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A student's own score and what it is made of. */
export function OwnScore({ grade, hrefForThreads }: { grade: StudentGrade; hrefForThreads: string }) {
  return (
    <div className="own-score">
      <p className="own-score-figure">
        Your score: <strong>{grade.score}</strong> of {grade.computed.maxPoints} points
      </p>
      <p>
        Computed from your comments: {grade.computed.points} points ({describeScore(grade.computed)}).{" "}
        <Link href={hrefForThreads}>Your threads</Link>
      </p>
      {grade.override && (
        <p className="override-note">
          Your instructor set this score: “{grade.override.reason}” — {grade.override.setByName},{" "}
          <time dateTime={grade.override.setAt}>{formatDay(grade.override.setAt)}</time>
        </p>
      )}
    </div>
  );
}
