import Link from "next/link";
import { formatDay, type SnapshotSummary } from "@/lib/shared/review/snapshots";

type Props = {
  snapshots: SnapshotSummary[];
  /** The read-only view of a snapshot. */
  hrefFor: (snapshotId: string) => string;
};

/** The reading's discussion snapshots, newest first. */
export function SnapshotList({ snapshots, hrefFor }: Props) {
  if (snapshots.length === 0) {
    return <p className="review-empty">No snapshots yet.</p>;
  }
  return (
    <ul className="snapshot-list">
      {snapshots.map((snapshot) => (
        <li key={snapshot.id} className="snapshot-item">
          <Link href={hrefFor(snapshot.id)} className="snapshot-name">
            {snapshot.name}
          </Link>
          <span className="snapshot-meta">
            <time dateTime={snapshot.createdAt} title={new Date(snapshot.createdAt).toUTCString()}>
              {formatDay(snapshot.createdAt)}
            </time>
            {" · "}
            {snapshot.automatic
              ? "automatic, at the due date"
              : `by ${snapshot.author?.name ?? "a former member"}`}
            {" · "}
            {snapshot.threadCount === 1 ? "1 thread" : `${snapshot.threadCount} threads`}
          </span>
        </li>
      ))}
    </ul>
  );
}
