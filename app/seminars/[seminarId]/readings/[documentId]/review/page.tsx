import type { Metadata } from "next";
import Link from "next/link";
import { Suspense, type ReactNode } from "react";
import { getReadingGrades } from "@/lib/server/grades/get-reading-grades";
import { seminarPolicy } from "@/lib/server/policies";
import { findReviewThreads } from "@/lib/server/review/find-review-threads";
import { getParagraphActivity } from "@/lib/server/review/get-paragraph-activity";
import { getParticipation } from "@/lib/server/review/get-participation";
import { getReadingHeading } from "@/lib/server/seminars/get-reading-heading";
import { findSnapshots } from "@/lib/server/snapshots/find-snapshots";
import { isFiltered, readReviewQuery, reviewHref, type TReviewQuery } from "@/lib/shared/review/review-query";
import type { ReviewResult } from "@/lib/shared/review/review-types";
import { readingPath, readingReviewPath, seminarPath, snapshotPath } from "@/lib/shared/urls";
import { pageLoader } from "@/app/_lib/page-loader";
import { GradesTable, OwnScore } from "@/app/review/grades-table";
import { ParagraphStrip } from "@/app/review/paragraph-strip";
import { ParticipationTable } from "@/app/review/participation-table";
import { ReviewFilters } from "@/app/review/review-filters";
import { ReviewPages } from "@/app/review/review-pages";
import { ReviewResults } from "@/app/review/review-results";
import { RubricForm } from "@/app/review/rubric-form";
import { SnapshotList } from "@/app/review/snapshot-list";
import { TakeSnapshotForm } from "@/app/review/take-snapshot-form";
import "@/app/review/review.css";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ seminarId: string; documentId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const reviewPage = pageLoader(readingReviewPath, async (actor, seminarId: string, documentId: string) => ({
  actor,
  reading: await getReadingHeading(actor, seminarId, documentId),
}));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { seminarId, documentId } = await params;
  return reviewPage.metadata(
    [seminarId, documentId],
    ({ reading }) => `Review · ${reading.document.title} · ${reading.seminar.title}`,
    "Review",
  );
}

/**
 * Every thread of a reading, a page at a time: filter, search, sort, jump to the passage; activity
 * per participant and paragraph. The threads come first; the sections that count the whole
 * discussion (the paragraph strip, participation, grades) stream in after them, so that a
 * discussion of 10,000 threads shows its first results at once (issue 12).
 */
export default async function ReviewPage({ params, searchParams }: Props) {
  const { seminarId, documentId } = await params;
  const { actor, reading } = await reviewPage.load(seminarId, documentId);
  const query = readReviewQuery(await searchParams);
  const mayViewParticipation = seminarPolicy.viewParticipation({ actor, role: reading.role });
  const mayTakeSnapshots = seminarPolicy.snapshot({ actor, role: reading.role });

  const [result, snapshots] = await Promise.all([
    findReviewThreads(actor, seminarId, documentId, query),
    findSnapshots(actor, seminarId, documentId),
  ]);
  // Links from the other sections filter the results afresh, from their first page.
  const filtersHref = (change: Partial<TReviewQuery>) =>
    reviewHref(seminarId, documentId, { ...result.query, page: 1, ...change });
  // Started now, awaited inside their Suspense boundaries: they run while the threads stream out.
  const participation = mayViewParticipation ? getParticipation(actor, seminarId, documentId) : null;
  const grades = getReadingGrades(actor, seminarId, documentId);
  const paragraphs = participation
    ? participation.then((report) => report.paragraphs)
    : getParagraphActivity(actor, seminarId, documentId);
  const gradesApi = `/api/seminars/${seminarId}/documents/${documentId}/grades`;

  return (
    <>
      <div className="reading-bar">
        <Link href={readingPath(seminarId, documentId)} className="reading-bar-seminar">
          ← Back to the reading
        </Link>
        <Link href={seminarPath(seminarId)} className="reading-bar-seminar">
          {reading.seminar.title}
        </Link>
      </div>
      <div className="page review-page">
        <header className="review-header">
          <p className="eyebrow">Review</p>
          <h1 className="page-title">{reading.document.title}</h1>
          <p className="review-byline">
            {reading.document.byline} · <span className="reading-card-source">{reading.document.source}</span>
          </p>
        </header>

        <div className="review-grid">
          <div className="review-main">
            <section aria-labelledby="threads-heading" className="review-section">
              <h2 id="threads-heading" className="section-title review-section-title">
                Threads <span className="count">{result.totals.threads.toLocaleString("en-US")}</span>
              </h2>
              <ReviewFilters
                seminarId={seminarId}
                documentId={documentId}
                query={result.query}
                participants={result.options.participants}
                categories={result.options.categories}
                tags={result.options.tags}
              />
              <p className="review-summary" role="status">
                {summarize(result)}
                {query.paragraph !== null && result.blockLabels[query.paragraph] && (
                  <>
                    {" "}
                    in {result.blockLabels[query.paragraph]}.{" "}
                    <Link href={filtersHref({ paragraph: null })} className="button-link" scroll={false}>
                      Every paragraph
                    </Link>
                  </>
                )}
              </p>
              <ReviewResults
                threads={result.threads}
                blockLabels={result.blockLabels}
                isFiltered={isFiltered(result.query)}
                firstNumber={(result.query.page - 1) * result.query.perPage + 1}
              />
              <ReviewPages
                page={result.query.page}
                pageCount={result.pageCount}
                hrefFor={(page) =>
                  `${reviewHref(seminarId, documentId, { ...result.query, page })}#threads-heading`
                }
              />
            </section>

            {participation && (
              <section aria-labelledby="participation-heading" className="review-section">
                <h2 id="participation-heading" className="section-title review-section-title">
                  Participation
                </h2>
                <p className="review-hint">
                  What each member wrote in the seminar’s shared discussion of this reading. Private notes are
                  never counted.
                </p>
                <Suspense fallback={<Counting what="participation" />}>
                  <WhenReady promise={participation}>
                    {(report) => (
                      <ParticipationTable
                        participants={report.participants}
                        textLength={report.textLength}
                        hrefFor={(participantId) => filtersHref({ participant: participantId })}
                      />
                    )}
                  </WhenReady>
                </Suspense>
              </section>
            )}

            <Suspense fallback={null}>
              <WhenReady promise={grades}>
                {(readingGrades) => (
                  <GradeSections
                    grades={readingGrades}
                    seminarId={seminarId}
                    documentId={documentId}
                    gradesApi={gradesApi}
                    hrefFor={(studentId) => filtersHref({ participant: studentId })}
                  />
                )}
              </WhenReady>
            </Suspense>

            <section aria-labelledby="snapshots-heading" className="review-section">
              <h2 id="snapshots-heading" className="section-title review-section-title">
                Snapshots <span className="count">{snapshots.length}</span>
              </h2>
              <p className="review-hint">
                Named, read-only versions of the discussion
                {reading.dueAt ? ", one taken automatically when the reading falls due" : ""}.
              </p>
              <SnapshotList
                snapshots={snapshots}
                hrefFor={(snapshotId) => snapshotPath(seminarId, documentId, snapshotId)}
              />
              {mayTakeSnapshots && <TakeSnapshotForm seminarId={seminarId} documentId={documentId} />}
            </section>
          </div>

          <aside className="review-text" aria-labelledby="paragraphs-heading">
            <h2 id="paragraphs-heading" className="section-title review-section-title">
              Discussion by paragraph
            </h2>
            <p className="review-hint">
              Bars show threads and comments per paragraph; follow one to see its threads.
            </p>
            <Suspense fallback={<Counting what="the discussion of each paragraph" />}>
              <WhenReady promise={paragraphs}>
                {(activity) => (
                  <ParagraphStrip
                    paragraphs={activity}
                    currentIndex={query.paragraph}
                    hrefFor={(index) => filtersHref({ paragraph: index })}
                  />
                )}
              </WhenReady>
            </Suspense>
          </aside>
        </div>
      </div>
    </>
  );
}

/** Renders what a promise resolves to (inside a Suspense boundary, which shows its fallback meanwhile). */
async function WhenReady<T>({
  promise,
  children,
}: {
  promise: Promise<T>;
  children: (value: T) => ReactNode;
}) {
  return children(await promise);
}

/** What a streaming section shows until its counts arrive. */
function Counting({ what }: { what: string }) {
  return <p className="review-hint review-counting">Counting {what}…</p>;
}

/** The instructor's Grades section, or a student's own score. */
function GradeSections({
  grades,
  seminarId,
  documentId,
  gradesApi,
  hrefFor,
}: {
  grades: Awaited<ReturnType<typeof getReadingGrades>>;
  seminarId: string;
  documentId: string;
  gradesApi: string;
  hrefFor: (studentId: string) => string;
}) {
  const ownGrade = grades.mayGrade ? null : (grades.grades[0] ?? null);
  return (
    <>
      {grades.mayGrade && (
        <section aria-labelledby="grades-heading" className="review-section">
          <h2 id="grades-heading" className="section-title review-section-title">
            Grades
          </h2>
          <p className="review-hint">
            Scores follow the rubric below; only comments in the shared discussion count, never highlights or
            private notes. An override replaces a score, with its reason.
          </p>
          <RubricForm
            seminarId={seminarId}
            documentId={documentId}
            rubric={grades.rubric}
            hasDueDate={grades.dueAt !== null}
          />
          <GradesTable
            grades={grades.grades}
            hrefFor={hrefFor}
            overrideUrlFor={(studentId) => `${gradesApi}/${studentId}`}
          />
          <a href={`/api/seminars/${seminarId}/gradebook`} download className="button gradebook-link">
            Download the seminar’s gradebook (CSV)
          </a>
        </section>
      )}
      {ownGrade && (
        <section aria-labelledby="own-score-heading" className="review-section">
          <h2 id="own-score-heading" className="section-title review-section-title">
            Your participation score
          </h2>
          <OwnScore grade={ownGrade} hrefForThreads={hrefFor(ownGrade.studentId)} />
        </section>
      )}
    </>
  );
}

/** "Showing 51–100 of 10,000 threads · 20,000 comments · 2 of your private notes". */
function summarize(result: ReviewResult): string {
  const { totals, query, threads } = result;
  const count = (n: number, one: string, many: string) =>
    n === 1 ? `1 ${one}` : `${n.toLocaleString("en-US")} ${many}`;
  const first = (query.page - 1) * query.perPage + 1;
  const range =
    result.pageCount > 1
      ? `${first.toLocaleString("en-US")}–${(first + threads.length - 1).toLocaleString("en-US")} of `
      : "";
  const filtered = isFiltered(query);
  const notes = totals.threads - totals.shared;
  const parts = [
    `${filtered || range ? "Showing " : ""}${range}${count(totals.threads, "thread", "threads")}`,
    count(totals.comments, "comment", "comments"),
    ...(notes > 0 ? [notes === 1 ? "1 of your private notes" : `${notes} of your private notes`] : []),
  ];
  return parts.join(" · ");
}
