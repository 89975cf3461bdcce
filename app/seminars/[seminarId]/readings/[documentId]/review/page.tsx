import type { Metadata } from "next";
import Link from "next/link";
import { getReadingGrades } from "@/lib/server/grades/get-reading-grades";
import { seminarPolicy } from "@/lib/server/policies";
import { findReviewThreads } from "@/lib/server/review/find-review-threads";
import { getParagraphActivity } from "@/lib/server/review/get-paragraph-activity";
import { getParticipation } from "@/lib/server/review/get-participation";
import { getSeminarReading } from "@/lib/server/seminars/get-seminar-reading";
import { findSnapshots } from "@/lib/server/snapshots/find-snapshots";
import { isFiltered, readReviewQuery, reviewHref } from "@/lib/shared/review/review-query";
import { readingPath, readingReviewPath, seminarPath, snapshotPath } from "@/lib/shared/urls";
import { pageLoader } from "@/app/_lib/page-loader";
import { GradesTable, OwnScore } from "@/app/review/grades-table";
import { ParagraphStrip } from "@/app/review/paragraph-strip";
import { ParticipationTable } from "@/app/review/participation-table";
import { ReviewFilters } from "@/app/review/review-filters";
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
  reading: await getSeminarReading(actor, seminarId, documentId),
}));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { seminarId, documentId } = await params;
  return reviewPage.metadata(
    [seminarId, documentId],
    ({ reading }) => `Review · ${reading.document.title} · ${reading.seminar.title}`,
    "Review",
  );
}

/** Every thread of a reading in one place: filter, search, sort, jump to the passage; activity per participant and paragraph. */
export default async function ReviewPage({ params, searchParams }: Props) {
  const { seminarId, documentId } = await params;
  const { actor, reading } = await reviewPage.load(seminarId, documentId);
  const query = readReviewQuery(await searchParams);
  const mayViewParticipation = seminarPolicy.viewParticipation({ actor, role: reading.role });
  const mayTakeSnapshots = seminarPolicy.snapshot({ actor, role: reading.role });

  const [result, participation, snapshots, grades] = await Promise.all([
    findReviewThreads(actor, seminarId, documentId, query),
    mayViewParticipation ? getParticipation(actor, seminarId, documentId) : null,
    findSnapshots(actor, seminarId, documentId),
    getReadingGrades(actor, seminarId, documentId),
  ]);
  const ownGrade = grades.mayGrade ? null : (grades.grades[0] ?? null);
  const gradesApi = `/api/seminars/${seminarId}/documents/${documentId}/grades`;
  const paragraphs = participation?.paragraphs ?? (await getParagraphActivity(actor, seminarId, documentId));
  const shared = result.threads.filter((thread) => thread.layer === "seminar");
  const comments = shared.reduce((sum, thread) => sum + thread.commentCount, 0);

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
                Threads <span className="count">{result.threads.length}</span>
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
                {summarize(result.threads.length, shared.length, comments, isFiltered(result.query))}
                {query.paragraph !== null && paragraphs[query.paragraph] && (
                  <>
                    {" "}
                    in {paragraphs[query.paragraph]?.label}.{" "}
                    <Link
                      href={reviewHref(seminarId, documentId, { ...result.query, paragraph: null })}
                      className="button-link"
                      scroll={false}
                    >
                      Every paragraph
                    </Link>
                  </>
                )}
              </p>
              <ReviewResults
                threads={result.threads}
                blockLabels={paragraphs.map((paragraph) => paragraph.label)}
                isFiltered={isFiltered(result.query)}
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
                <ParticipationTable
                  participants={participation.participants}
                  textLength={participation.textLength}
                  hrefFor={(participantId) =>
                    reviewHref(seminarId, documentId, { ...result.query, participant: participantId })
                  }
                />
              </section>
            )}

            {grades.mayGrade && (
              <section aria-labelledby="grades-heading" className="review-section">
                <h2 id="grades-heading" className="section-title review-section-title">
                  Grades
                </h2>
                <p className="review-hint">
                  Scores follow the rubric below; only comments in the shared discussion count, never
                  highlights or private notes. An override replaces a score, with its reason.
                </p>
                <RubricForm
                  seminarId={seminarId}
                  documentId={documentId}
                  rubric={grades.rubric}
                  hasDueDate={grades.dueAt !== null}
                />
                <GradesTable
                  grades={grades.grades}
                  hrefFor={(studentId) =>
                    reviewHref(seminarId, documentId, { ...result.query, participant: studentId })
                  }
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
                <OwnScore
                  grade={ownGrade}
                  hrefForThreads={reviewHref(seminarId, documentId, {
                    ...result.query,
                    participant: ownGrade.studentId,
                  })}
                />
              </section>
            )}

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
            <ParagraphStrip
              paragraphs={paragraphs}
              currentIndex={query.paragraph}
              hrefFor={(index) => reviewHref(seminarId, documentId, { ...result.query, paragraph: index })}
            />
          </aside>
        </div>
      </div>
    </>
  );
}

function summarize(total: number, shared: number, comments: number, filtered: boolean): string {
  const threads = total === 1 ? "1 thread" : `${total} threads`;
  const notes = total - shared;
  const parts = [
    `${filtered ? "Showing " : ""}${threads}`,
    comments === 1 ? "1 comment" : `${comments} comments`,
    ...(notes > 0 ? [notes === 1 ? "1 of your private notes" : `${notes} of your private notes`] : []),
  ];
  return parts.join(" · ");
}
