import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/server/auth/get-current-user";
import { getSnapshot } from "@/lib/server/snapshots/get-snapshot";
import { isAppError } from "@/lib/shared/errors";
import { formatDay } from "@/lib/shared/review/snapshots";
import { signInUrl } from "@/lib/shared/urls";
import { ReadingText } from "@/app/reading/reading-text";
import { SnapshotMargin } from "@/app/review/snapshot-margin";
import "@/app/review/review.css";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ seminarId: string; documentId: string; snapshotId: string }> };

async function load(seminarId: string, documentId: string, snapshotId: string) {
  const user = await getCurrentUser();
  if (!user) redirect(signInUrl(`/seminars/${seminarId}/readings/${documentId}/snapshots/${snapshotId}`));
  try {
    return await getSnapshot({ userId: user.id }, seminarId, documentId, snapshotId);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const user = await getCurrentUser();
  if (!user) return { title: "Snapshot" };
  const { seminarId, documentId, snapshotId } = await params;
  try {
    const view = await getSnapshot({ userId: user.id }, seminarId, documentId, snapshotId);
    return { title: `${view.snapshot.name} · ${view.document.title}` };
  } catch {
    return { title: "Not found" };
  }
}

/**
 * A discussion snapshot, read-only: the text and the margin as the snapshot
 * kept them. Rendered on the server alone: no editor, no composer, no rooms,
 * so nothing here changes after the page loads. Anchors are placed in the
 * text's current state, as the live margin places them.
 */
export default async function SnapshotPage({ params }: Props) {
  const { seminarId, documentId, snapshotId } = await params;
  const view = await load(seminarId, documentId, snapshotId);
  const readingPath = `/seminars/${seminarId}/readings/${documentId}`;
  const takenBy = view.snapshot.automatic
    ? "taken automatically at the due date"
    : `taken by ${view.snapshot.author?.name ?? "a former member"}`;

  return (
    <>
      <div className="reading-bar">
        <Link href={`${readingPath}/review`} className="reading-bar-seminar">
          ← Review
        </Link>
        <Link href={`/seminars/${seminarId}`} className="reading-bar-seminar">
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
          <Link href={`${readingPath}/export?snapshotId=${encodeURIComponent(view.snapshot.id)}`}>
            Export this snapshot
          </Link>
          <Link href={readingPath}>Open the live reading</Link>
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
