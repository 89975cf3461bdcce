import Link from "next/link";
import type { CSSProperties } from "react";
import { KIND_LABELS } from "@/lib/shared/annotations/kinds";
import { excerpt } from "@/lib/shared/annotations/passage-words";
import { initials } from "@/lib/shared/names";
import { formatDay } from "@/lib/shared/review/snapshots";
import { OriginalWords } from "@/app/ui/original-words";
import type { ReviewThread } from "@/lib/shared/review/review-types";

type Props = {
  threads: ReviewThread[];
  /** Text block labels by index ("Paragraph 4"), to say where each thread is. */
  blockLabels: string[];
  /** Whether any filter or search is set (for the empty message). */
  isFiltered: boolean;
  /** The number of the first thread shown (1 on the first page, 51 on the second…). */
  firstNumber?: number;
};

/** The review's results: one entry per thread, each with a link to its passage. */
export function ReviewResults({ threads, blockLabels, isFiltered, firstNumber = 1 }: Props) {
  if (threads.length === 0) {
    return (
      <p className="review-empty">
        {isFiltered
          ? "No thread matches these filters."
          : "Nobody has highlighted or commented on this reading yet."}
      </p>
    );
  }
  return (
    <ol className="review-results" start={firstNumber}>
      {threads.map((thread) => (
        <li key={thread.id}>
          <ReviewEntry
            thread={thread}
            where={thread.blockIndex === null ? null : (blockLabels[thread.blockIndex] ?? null)}
          />
        </li>
      ))}
    </ol>
  );
}

function ReviewEntry({ thread, where }: { thread: ReviewThread; where: string | null }) {
  const quote = excerpt(thread.quote);
  const isPrivate = thread.layer === "private";
  const classes = [
    "review-entry",
    `review-entry-${thread.kind.toLowerCase().replace("_", "-")}`,
    thread.status === "resolved" ? "review-entry-resolved" : "",
  ].filter(Boolean);
  const style = thread.category ? ({ "--thread-color": thread.category.color } as CSSProperties) : undefined;
  return (
    <article
      className={classes.join(" ")}
      style={style}
      aria-label={`${KIND_LABELS[thread.kind]} by ${thread.author.name} on “${excerpt(thread.quote, 60)}”`}
      data-thread-id={thread.id}
    >
      <header className="review-entry-head">
        <span className="review-kind">
          {isPrivate ? KIND_LABELS.NOTE : KIND_LABELS[thread.kind]}
          {thread.pinned && <span className="review-pinned"> · pinned</span>}
        </span>
        {thread.category && (
          <span className="review-category">
            <span className="swatch" style={{ background: thread.category.color }} aria-hidden="true" />
            {thread.category.name}
          </span>
        )}
        {!isPrivate && thread.kind !== "HIGHLIGHT" && (
          <span className={`review-status review-status-${thread.status}`}>
            {thread.status === "resolved" ? "Resolved" : "Open"}
          </span>
        )}
        <time
          className="review-date"
          dateTime={thread.createdAt}
          title={new Date(thread.createdAt).toUTCString()}
        >
          {formatDay(thread.createdAt)}
        </time>
      </header>

      <blockquote className="review-quote">{quote}</blockquote>
      <OriginalWords words={thread.originalQuote} />
      {thread.firstComment && <FirstComment comment={thread.firstComment} />}

      <footer className="review-entry-foot">
        <span className="review-author">
          <span className="avatar avatar-tiny" aria-hidden="true">
            {initials(thread.author.name)}
          </span>
          {thread.author.name}
          {thread.author.role === "INSTRUCTOR" && <span className="badge-instructor">Instructor</span>}
        </span>
        {!isPrivate && thread.kind !== "HIGHLIGHT" && (
          <span className="review-replies">
            {thread.replyCount === 1 ? "1 reply" : `${thread.replyCount} replies`}
          </span>
        )}
        {thread.reactionCount > 0 && (
          <span className="review-replies">
            {thread.reactionCount === 1 ? "1 reaction" : `${thread.reactionCount} reactions`}
          </span>
        )}
        {thread.kind === "HIGHLIGHT" && thread.commentCount > 0 && (
          <span className="review-replies">
            {thread.commentCount === 1 ? "1 comment" : `${thread.commentCount} comments`}
          </span>
        )}
        <span className="review-where">{where ?? "Detached from the text"}</span>
        <Link href={thread.href} className="review-open">
          Open in the text<span className="sr-only">: “{excerpt(thread.quote, 60)}”</span>
        </Link>
      </footer>
    </article>
  );
}

/**
 * The words that opened a thread. A hidden comment's words reach instructors only
 * (lib/server/review), who see them marked as students no longer do; students see
 * that it was hidden.
 */
function FirstComment({ comment }: { comment: NonNullable<ReviewThread["firstComment"]> }) {
  if (comment.text === null)
    return <p className="review-first review-first-gone">Hidden by an instructor.</p>;
  if (!comment.isHidden) return <p className="review-first">{excerpt(comment.text, 280)}</p>;
  return (
    <div className="review-first-hidden">
      <p className="review-hidden-mark">Hidden from students</p>
      <p className="review-first">{excerpt(comment.text, 280)}</p>
    </div>
  );
}
