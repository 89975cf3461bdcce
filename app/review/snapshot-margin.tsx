import type { CSSProperties } from "react";
import { initials } from "@/lib/shared/names";
import { formatDay, type SnapshotThread } from "@/lib/shared/review/snapshots";
import { CommentBodyView } from "@/app/reading/comment-body-view";
import { KIND_LABELS } from "@/lib/shared/annotations/kinds";
import { excerpt } from "@/lib/shared/annotations/passage-words";
import { OriginalWords } from "@/app/ui/original-words";

/**
 * A snapshot's threads beside the text, in reading order, read-only: no
 * composer, no actions, no live updates. Cards look like the live margin's
 * (the same classes) without its controls.
 */
export function SnapshotMargin({ threads }: { threads: SnapshotThread[] }) {
  if (threads.length === 0) {
    return <p className="margin-empty">Nobody had highlighted or commented on this reading yet.</p>;
  }
  return (
    <ol className="snapshot-margin">
      {threads.map((thread) => (
        <li key={thread.id}>
          <SnapshotCard thread={thread} />
        </li>
      ))}
    </ol>
  );
}

function SnapshotCard({ thread }: { thread: SnapshotThread }) {
  const classes = [
    "thread",
    "snapshot-thread",
    `thread-${thread.kind.toLowerCase().replace("_", "-")}`,
    thread.resolvedAt ? "thread-resolved" : "",
  ].filter(Boolean);
  const style = thread.category ? ({ "--thread-color": thread.category.color } as CSSProperties) : undefined;
  return (
    <article
      className={classes.join(" ")}
      style={style}
      aria-label={`${KIND_LABELS[thread.kind]} by ${thread.author.name} on “${excerpt(thread.passage.current, 60)}”`}
      data-thread-id={thread.id}
    >
      <header className="thread-head">
        <span className="thread-kind">
          {thread.kind === "GUIDING_QUESTION" && thread.pinned && "Pinned · "}
          {thread.category ? thread.category.name : KIND_LABELS[thread.kind]}
        </span>
        {thread.resolvedAt && <span className="thread-status thread-status-resolved">Resolved</span>}
      </header>
      <p className="thread-where">{thread.blockLabel ?? "Detached from the text"}</p>
      <blockquote className="thread-quote">{excerpt(thread.passage.current, 220)}</blockquote>
      <OriginalWords words={thread.passage.original} max={220} />
      {thread.kind === "HIGHLIGHT" && thread.comments.length === 0 && (
        <p className="thread-byline">
          <Avatar name={thread.author.name} /> <strong>{thread.author.name}</strong>
          {thread.author.role === "INSTRUCTOR" && <span className="badge-instructor">Instructor</span>}
          <span className="thread-time"> highlighted {formatDay(thread.createdAt)}</span>
        </p>
      )}
      <ol className="thread-comments">
        {thread.comments.map((comment) => (
          <li key={comment.id}>
            <div className="comment">
              <p className="comment-byline">
                <Avatar name={comment.author.name} />
                <strong className="comment-author">{comment.author.name}</strong>
                {comment.author.role === "INSTRUCTOR" && <span className="badge-instructor">Instructor</span>}
                <span className="comment-time">
                  <time dateTime={comment.createdAt}>{formatDay(comment.createdAt)}</time>
                  {comment.editedAt && !comment.isDeleted && (
                    <span className="comment-edited"> · edited</span>
                  )}
                </span>
              </p>
              {comment.isDeleted ? (
                <p className="comment-gone">This comment was deleted.</p>
              ) : comment.isHidden && comment.body ? (
                // Only instructors' views carry a hidden comment's words (lib/server/snapshots).
                <div className="comment-hidden-words">
                  <p className="comment-gone">Hidden from students.</p>
                  <CommentBodyView body={comment.body} className="comment-body-hidden" />
                </div>
              ) : comment.isHidden || !comment.body ? (
                <p className="comment-gone">Hidden by an instructor.</p>
              ) : (
                <div className="comment-body">
                  <CommentBodyView body={comment.body} />
                </div>
              )}
            </div>
          </li>
        ))}
      </ol>
    </article>
  );
}

function Avatar({ name }: { name: string }) {
  return (
    <span className="avatar avatar-tiny" aria-hidden="true">
      {initials(name)}
    </span>
  );
}
