import type { CSSProperties } from "react";
import type { ThreadPreview } from "@/lib/server/annotations/find-first-threads";
import { describeThreadCard, KIND_LABELS } from "@/lib/shared/annotations/kinds";
import "./comments.css";

/**
 * The reading's first threads, read-only, rendered on the server and shown in
 * the margin until the seminar room has synced and the live margin has placed
 * its cards (docs/adr/0015): with thousands of threads that takes seconds, and
 * the margin stood empty until then. The cards mirror the live margin's
 * compact card (kind, first comment in two lines) but take no input; they are
 * marked `data-preview-thread-id`, not `data-thread-id`, so nothing that looks
 * for a live card (focus, links to a thread) finds one of these.
 */
export function MarginPreview({ threads }: { threads: readonly ThreadPreview[] }) {
  if (threads.length === 0) return null;
  return (
    <section
      className="margin-preview"
      aria-label="First threads, while the discussion loads"
      aria-busy="true"
    >
      {threads.map((thread) => (
        <article
          key={thread.id}
          className="thread thread-compact thread-preview"
          style={thread.category ? ({ "--thread-color": thread.category.color } as CSSProperties) : undefined}
          aria-label={describeThreadCard(thread.kind, thread.author.name, thread.quote)}
          data-preview-thread-id={thread.id}
        >
          <header className="thread-head">
            <span className="thread-kind">{thread.category?.name ?? KIND_LABELS[thread.kind]}</span>
            {thread.kind === "GUIDING_QUESTION" && thread.pinned && (
              <span className="thread-pinned">Pinned</span>
            )}
          </header>
          {thread.firstComment ? (
            <div className="comment">
              <p className="comment-byline">
                <strong className="comment-author">{thread.firstComment.authorName}</strong>
              </p>
              {thread.firstComment.text === null ? (
                <p className="comment-gone">Hidden by an instructor.</p>
              ) : (
                <div className="comment-body">
                  <div className="comment-body-view">
                    <p>{thread.firstComment.text}</p>
                  </div>
                </div>
              )}
            </div>
          ) : (
            <p className="thread-byline">
              <strong>{thread.author.name}</strong>
              {thread.author.isInstructor && <span className="badge-instructor">Instructor</span>}
              <span className="thread-time"> highlighted</span>
            </p>
          )}
          {thread.replyCount > 0 && (
            <p className="thread-preview-replies">
              {thread.replyCount === 1 ? "1 reply" : `${thread.replyCount} replies`}
            </p>
          )}
        </article>
      ))}
    </section>
  );
}
