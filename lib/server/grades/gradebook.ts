/**
 * The seminar's gradebook as CSV: one row per student, one column per
 * reading, for Canvas or Moodle to import. Columns: the student's name, their
 * email twice (Moodle matches on "Email address", Canvas on "SIS Login ID",
 * where a school's login is usually the email), then each reading as
 * "<title> (<points possible> pts)" holding the score that counts (an
 * override's when there is one). Cells go through the CSV export's
 * formula-injection defence, since names and titles are user-written.
 */
import { computeScore } from "@/lib/shared/grades/score";
import { db } from "../db";
import { csvRecord, CSV_BOM } from "../exports/csv";
import { slugify } from "../exports/export-reading";
import { seminarPolicy, type Actor } from "../policies";
import { requireSeminar } from "../policies/require";
import { GRADED_READING_SELECT, loadContributions, rubricOf } from "./get-reading-grades";

/** The downloaded file. */
export type Gradebook = { filename: string; body: string };

/** Builds the gradebook CSV (instructors only). */
export async function buildGradebook(actor: Actor, seminarId: string): Promise<Gradebook> {
  await requireSeminar(
    actor,
    seminarId,
    seminarPolicy.grade,
    "Only the seminar's instructors can download the gradebook.",
  );
  const seminar = await db.seminar.findUniqueOrThrow({ where: { id: seminarId }, select: { title: true } });
  const readings = await db.reading.findMany({
    where: { seminarId },
    orderBy: [{ dueAt: { sort: "asc", nulls: "last" } }, { createdAt: "asc" }],
    select: { ...GRADED_READING_SELECT, documentId: true, document: { select: { title: true } } },
  });
  const students = await db.membership.findMany({
    where: { seminarId, role: "STUDENT" },
    select: { user: { select: { id: true, name: true, email: true } } },
  });
  students.sort((a, b) => a.user.name.localeCompare(b.user.name) || a.user.id.localeCompare(b.user.id));
  const overrides = await db.gradeOverride.findMany({
    where: { readingId: { in: readings.map((reading) => reading.id) } },
    select: { readingId: true, studentId: true, score: true },
  });
  const overrideOf = new Map(overrides.map((o) => [`${o.readingId} ${o.studentId}`, o.score]));

  const columns: number[][] = [];
  for (const reading of readings) {
    const contributions = await loadContributions(seminarId, reading.documentId);
    const rubric = rubricOf(reading);
    columns.push(
      students.map(
        ({ user }) =>
          overrideOf.get(`${reading.id} ${user.id}`) ??
          computeScore(rubric, contributions.get(user.id) ?? [], reading.dueAt).points,
      ),
    );
  }

  const header = [
    "Student",
    "Email address",
    "SIS Login ID",
    ...readings.map((reading) => `${reading.document.title} (${reading.gradeMaxPoints} pts)`),
  ];
  let body = CSV_BOM + csvRecord(header);
  students.forEach(({ user }, index) => {
    body += csvRecord([user.name, user.email, user.email, ...columns.map((column) => String(column[index]))]);
  });
  return { filename: `${slugify(seminar.title) || "seminar"}-gradebook.csv`, body };
}
