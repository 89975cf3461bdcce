import type { Metadata } from "next";
import Link from "next/link";
import { getSnapshot } from "@/lib/server/snapshots/get-snapshot";
import { formatDay } from "@/lib/shared/review/snapshots";
import {
  readingExportPath,
  readingPath,
  readingReviewPath,
  seminarPath,
  snapshotPath,
} from "@/lib/shared/urls";
import { pageLoader } from "@/app/_lib/page-loader";
import { ReadingText } from "@/app/reading/reading-text";
import { SnapshotMargin } from "@/app/review/snapshot-margin";
import "@/app/review/review.css";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ seminarId: string; documentId: string; snapshotId: string }> };

const snapshotPage = pageLoader(snapshotPath, getSnapshot);

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { seminarId, documentId, snapshotId } = await params;
  return snapshotPage.metadata(
    [seminarId, documentId, snapshotId],
    (view) => `${view.snapshot.name} · ${view.document.title}`,
    "Snapshot",
  );
}

/**
 * A discussion snapshot, read-only: the text and the margin as the snapshot
 * kept them. Rendered on the server alone: no editor, no composer, no rooms,
 * so nothing here changes after the page loads. Anchors are placed in the
 * text's current state, as the live margin places them.
 */
export default async function SnapshotPage({ params }: Props) {
  const { seminarId, documentId, snapshotId } = await params;
  const view = await snapshotPage.load(seminarId, documentId, snapshotId);
  const reading = readingPath(seminarId, documentId);
  const takenBy = view.snapshot.automatic
    ? "taken automatically at the due date"
    : `taken by ${view.snapshot.author?.name ?? "a former member"}`;

  return (
    <>
      <div className="reading-bar">
        <Link href={readingReviewPath(seminarId, documentId)} className="reading-bar-seminar">
          ← Review
        </Link>
        <Link href={seminarPath(seminarId)} className="reading-bar-seminar">
          {view.seminar.title}
        </Link>
      </div>
      <div className="snapshot-banner" role="note" aria-label="Snapshot">
        <p className="snapshot-banner-text">
          As of snapshot <strong>“{view.snapshot.name}”</strong>,{" "}
          <time dateTime={view.snapshot.createdAt}>{formatDay(view.snapshot.createdAt)}</time> · read-only{" "}
          <span className="snapshot-banner-by">({takenBy})</span>
        </p>
        <span className="snapshot-banner-links">
          <Link
            href={`${readingExportPath(seminarId, documentId)}?snapshotId=${encodeURIComponent(view.snapshot.id)}`}
          >
            Export this snapshot
          </Link>
          <Link href={reading}>Open the live reading</Link>
        </span>
      </div>
      <div className="reading-layout snapshot-layout">
        <article className="reading-column" aria-label={view.document.title}>
          <ReadingText content={view.content} />
        </article>
        <aside className="margin-column" aria-label="Margin as of the snapshot">
          <SnapshotMargin threads={view.threads} />
        </aside>
      </div>
    </>
  );
}
