"use client";

import { DropdownMenu } from "radix-ui";
import { memo, useEffect, useState, type CSSProperties } from "react";
import { describeThreadCard, KIND_LABELS } from "@/lib/shared/annotations/kinds";
import type { ProjectedCategory } from "@/lib/shared/annotations/types";
import { initials } from "@/lib/shared/names";
import {
  commentCount,
  hasUnloadedComments,
  type Thread,
  type ThreadComment,
} from "@/lib/shared/annotations/threads";
import type { ThreadActions } from "@/lib/client/annotations/use-thread-actions";
import { relativeTime } from "@/lib/client/time";
import { HiddenCommentWords } from "./hidden-comment-words";
import { CommentBodyView } from "./comment-body-view";
import { CommentComposer } from "./comment-composer";
import { CommentReactions } from "./comment-reactions";
import { useUnsentComposer } from "./unsent-words";

type Props = {
  thread: Thread;
  me: { id: string };
  can: { moderate: boolean; guide: boolean };
  category: ProjectedCategory | null;
  now: number;
  isActive: boolean;
  isOrphaned?: boolean;
  style?: CSSProperties;
  actions: ThreadActions;
  /** Called with the thread's id (one stable callback for every card, so memoised cards stay put). */
  onActivate: (id: string) => void;
  /**
   * Told when the card starts and stops holding work of the reader's (a reply or an edit being
   * written; once per piece of work), so that the margin keeps it rendered wherever the page is
   * scrolled: the words live in the card. Stable, as above.
   */
  onHoldsWork?: (id: string, holdsWork: boolean) => void;
  /** Marks the card for the margin's layout (cards placed beside their passages). */
  cardId?: string;
  /**
   * Shown for a stack of threads: the first comment in two lines, no reactions or actions
   * until the card is focused or holds the focus (a dense paragraph keeps to a small height).
   */
  isCompact?: boolean;
};

/** A thread with more comments than this shows its first one and a count until expanded. */
const COLLAPSE_AFTER = 2;

/** One thread in the margin. Memoised: the margin re-renders often, a card only when its props change. */
export const ThreadCard = memo(function ThreadCard({
  thread,
  me,
  can,
  category,
  now,
  isActive,
  isOrphaned,
  style,
  actions,
  onActivate,
  onHoldsWork,
  cardId,
  isCompact,
}: Props) {
  // Open, and its words, as the reader left them, even if this card was unmounted since.
  const reply = useUnsentComposer(`reply:${thread.id}`, thread.id);
  const isReplying = reply.isOpen;
  useHoldsWork(isReplying, thread.id, onHoldsWork);
  const [isExpanded, setExpanded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [replyKey, setReplyKey] = useState(0);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : "That did not work. Try again.");
      return false;
    } finally {
      setBusy(false);
    }
  };

  const isMine = thread.author.id === me.id;
  const comments = thread.comments;
  // The room carries a thread's first comment only (docs/adr/0027): the rest loads when the
  // card needs it (below), and stays current while the page is open.
  const isPartial = hasUnloadedComments(thread);
  const [loadError, setLoadError] = useState<string | null>(null);
  const load = () => {
    setLoadError(null);
    actions.loadThread(thread).catch((failure: unknown) => setLoadError(loadFailureMessage(failure)));
  };
  // Long threads show their first comment and a count: the margin stays close to the text.
  const total = commentCount(thread);
  // A card that shows every comment when loaded (a short thread, near the screen, not in a
  // compact stack), or that is focused or expanded, loads its body. Asking again for a
  // thread already loading or loaded at this version costs nothing (use-thread-bodies).
  const wantsBody = isActive || isExpanded || (!isCompact && total <= COLLAPSE_AFTER);
  useEffect(() => {
    if (wantsBody && isPartial)
      actions.loadThread(thread).catch((failure: unknown) => setLoadError(loadFailureMessage(failure)));
  }, [wantsBody, isPartial, actions, thread]);
  const isCollapsed = comments.length > 0 && total > COLLAPSE_AFTER && !isExpanded;
  const shown = isCollapsed ? [comments[0] as ThreadComment] : comments;
  // Comments not shown: collapsed, or not loaded yet.
  const moreCount = total - shown.length;
  const isLoading = !isCollapsed && isPartial && wantsBody && !loadError;
  const canResolve = thread.layer === "seminar" && thread.kind !== "HIGHLIGHT" && (isMine || can.moderate);
  const canDeleteThread = thread.layer === "seminar" && (isMine || can.moderate);
  const classes = [
    "thread",
    `thread-${thread.kind.toLowerCase().replace("_", "-")}`,
    thread.layer === "private" ? "thread-private" : "",
    isActive ? "thread-active" : "",
    isCompact && !isActive ? "thread-compact" : "",
    thread.resolvedAt ? "thread-resolved" : "",
    thread.status !== "committed" ? `thread-${thread.status}` : "",
  ].filter(Boolean);

  return (
    <article
      data-card-id={cardId}
      className={classes.join(" ")}
      style={{ ...style, ...(category ? ({ "--thread-color": category.color } as CSSProperties) : {}) }}
      aria-label={describeThreadCard(thread.kind, thread.author.name, thread.anchor.quote.exact)}
      data-thread-id={thread.id}
      tabIndex={0}
      onFocus={(event) => {
        if (event.target === event.currentTarget) onActivate(thread.id);
      }}
      onClick={() => onActivate(thread.id)}
    >
      <header className="thread-head">
        <span className="thread-kind">
          {thread.layer === "private" && <LockIcon />}
          {thread.layer === "private"
            ? KIND_LABELS.NOTE
            : category
              ? category.name
              : KIND_LABELS[thread.kind]}
        </span>
        {thread.kind === "GUIDING_QUESTION" && thread.pinned && (
          <span className="thread-pinned">
            <PinIcon /> Pinned
          </span>
        )}
        {thread.status === "pending" && <span className="thread-status">Saving…</span>}
        {thread.resolvedAt && <span className="thread-status thread-status-resolved">Resolved</span>}
      </header>
      {isOrphaned && (
        <blockquote className="thread-quote" aria-label="The passage it was on">
          {thread.anchor.quote.exact}
        </blockquote>
      )}

      {thread.kind === "HIGHLIGHT" && comments.length === 0 && (
        <p className="thread-byline">
          <Avatar name={thread.author.name} /> <strong>{thread.author.name}</strong>
          {thread.author.role === "INSTRUCTOR" && <span className="badge-instructor">Instructor</span>}
          <span className="thread-time"> highlighted {relativeTime(thread.createdAt, now)}</span>
        </p>
      )}

      <ol className="thread-comments">
        {shown.map((comment) => (
          <li key={comment.id}>
            <CommentItem
              thread={thread}
              comment={comment}
              me={me}
              can={can}
              now={now}
              actions={actions}
              onError={setError}
              onHoldsWork={onHoldsWork}
            />
          </li>
        ))}
      </ol>
      {/* What went wrong, then the button that tries again. */}
      {loadError && (
        <p className="thread-failed" role="alert">
          {loadError}
        </p>
      )}
      {moreCount > 0 &&
        (isLoading ? (
          <p className="thread-more" role="status">
            Loading {moreCount === 1 ? "the reply" : `${moreCount} replies`}…
          </p>
        ) : (
          <button
            type="button"
            className="button-link thread-more"
            onClick={() => {
              setExpanded(true);
              if (isPartial) load();
            }}
          >
            {loadError
              ? `Try loading ${moreCount === 1 ? "the reply" : `the ${moreCount} replies`} again`
              : `${moreCount} more ${moreCount === 1 ? "reply" : "replies"}`}
          </button>
        ))}

      {thread.status === "failed" && (
        <div className="thread-failed" role="alert">
          <p>{thread.error ?? "This could not be saved."}</p>
          <button type="button" className="button button-small" onClick={() => actions.retry(thread)}>
            Try again
          </button>{" "}
          <button type="button" className="button-link" onClick={() => actions.discard(thread)}>
            Discard
          </button>
        </div>
      )}

      {thread.status === "committed" && thread.layer === "seminar" && (
        <footer className="thread-actions">
          {isReplying ? (
            <CommentComposer
              key={replyKey}
              label={`Reply to ${thread.author.name}`}
              placeholder="Reply…"
              initialBody={reply.kept}
              submitLabel="Reply"
              isPending={busy}
              error={error}
              autoFocus={!reply.isRestored}
              onBodyChange={reply.keep}
              onCancel={reply.close}
              onSubmit={(body) => {
                void run(() => actions.reply(thread, body)).then((ok) => {
                  if (ok) {
                    reply.close();
                    // The writer sees their reply where they wrote it, even in a long thread.
                    setExpanded(true);
                    setReplyKey((key) => key + 1);
                  }
                });
              }}
            />
          ) : (
            <>
              <button
                type="button"
                className="button-link"
                aria-label={
                  comments.length === 0
                    ? `Comment on ${thread.author.name}’s highlight`
                    : `Reply to ${thread.author.name}’s thread`
                }
                onClick={reply.open}
              >
                {comments.length === 0 ? "Comment" : "Reply"}
              </button>
              {canResolve && (
                <button
                  type="button"
                  className="button-link"
                  disabled={busy}
                  aria-label={`${thread.resolvedAt ? "Reopen" : "Resolve"} ${thread.author.name}’s thread`}
                  onClick={() => void run(() => actions.resolve(thread, !thread.resolvedAt))}
                >
                  {thread.resolvedAt ? "Reopen" : "Resolve"}
                </button>
              )}
              {thread.kind === "GUIDING_QUESTION" && can.guide && (
                <button
                  type="button"
                  className="button-link"
                  disabled={busy}
                  aria-label={`${thread.pinned ? "Unpin" : "Pin"} the guiding question`}
                  onClick={() => void run(() => actions.pin(thread, !thread.pinned))}
                >
                  {thread.pinned ? "Unpin" : "Pin"}
                </button>
              )}
              {canDeleteThread && (
                <button
                  type="button"
                  className="button-link button-link-danger"
                  disabled={busy}
                  aria-label={
                    thread.kind === "HIGHLIGHT"
                      ? `Remove ${thread.author.name}’s highlight`
                      : `Delete ${thread.author.name}’s thread`
                  }
                  onClick={() => {
                    if (thread.kind === "HIGHLIGHT" || window.confirm("Delete this thread and its replies?"))
                      void run(() => actions.deleteThread(thread));
                  }}
                >
                  {thread.kind === "HIGHLIGHT" ? "Remove" : "Delete"}
                </button>
              )}
            </>
          )}
        </footer>
      )}
      {!isReplying && error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </article>
  );
});

function LockIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path
        d="M4.5 7V5a3.5 3.5 0 0 1 7 0v2h.5a1 1 0 0 1 1 1v5a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h.5Zm1.5 0h4V5a2 2 0 1 0-4 0v2Z"
        fill="currentColor"
      />
    </svg>
  );
}

function PinIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path
        d="M10.2 1.5 14.5 5.8l-1.4 1.4-.7-.7-2.6 2.6.2 3.1-1.1 1.1-2.5-2.5-3 3-.9-.9 3-3-2.5-2.5 1.1-1.1 3.1.2 2.6-2.6-.7-.7 1.4-1.4Z"
        fill="currentColor"
      />
    </svg>
  );
}

function Avatar({ name }: { name: string }) {
  return (
    <span className="avatar avatar-tiny" aria-hidden="true">
      {initials(name)}
    </span>
  );
}

/** Tells the margin, while `isHolding`, that the thread's card holds the reader's work. */
function useHoldsWork(isHolding: boolean, threadId: string, onHoldsWork: Props["onHoldsWork"]) {
  useEffect(() => {
    if (!isHolding || !onHoldsWork) return;
    onHoldsWork(threadId, true);
    return () => onHoldsWork(threadId, false);
  }, [isHolding, threadId, onHoldsWork]);
}

function CommentItem({
  thread,
  comment,
  me,
  can,
  now,
  actions,
  onError,
  onHoldsWork,
}: {
  thread: Thread;
  comment: ThreadComment;
  me: { id: string };
  can: { moderate: boolean };
  now: number;
  actions: ThreadActions;
  onError: (message: string | null) => void;
  onHoldsWork?: Props["onHoldsWork"];
}) {
  const edit = useUnsentComposer(`edit:${comment.id}`, thread.id);
  const isEditing = edit.isOpen;
  useHoldsWork(isEditing, thread.id, onHoldsWork);
  const [editError, setEditError] = useState<string | null>(null);
  const [isSaving, setSaving] = useState(false);
  const isMine = comment.author.id === me.id;
  const isPrivate = thread.layer === "private";
  const canEdit = isMine && !comment.isDeleted && !comment.isHidden;
  const canDelete = (isMine || (can.moderate && !isPrivate)) && !comment.isDeleted;
  const canHide = can.moderate && !isPrivate && !comment.isDeleted;
  const act = (action: () => Promise<void>) => {
    onError(null);
    action().catch((failure: unknown) =>
      onError(failure instanceof Error ? failure.message : "That did not work."),
    );
  };

  return (
    <div className={`comment${comment.isPending ? " comment-pending" : ""}`}>
      <p className="comment-byline">
        <Avatar name={comment.author.name} />
        <strong className="comment-author">{comment.author.name}</strong>
        {comment.author.role === "INSTRUCTOR" && <span className="badge-instructor">Instructor</span>}
        <span className="comment-time">
          <time dateTime={comment.createdAt} title={new Date(comment.createdAt).toLocaleString()}>
            {relativeTime(comment.createdAt, now)}
          </time>
          {comment.editedAt && !comment.isDeleted && <span className="comment-edited"> · edited</span>}
          {comment.isPending && <span className="comment-edited"> · saving…</span>}
        </span>
        {(canEdit || canDelete || canHide) && !comment.isPending && (
          <CommentMenu
            label={`More actions for ${comment.author.name}’s comment`}
            items={[
              ...(canEdit ? [{ label: "Edit", onSelect: edit.open }] : []),
              ...(canHide
                ? [
                    {
                      label: comment.isHidden ? "Show to students" : "Hide from students",
                      onSelect: () => act(() => actions.hideComment(thread, comment, !comment.isHidden)),
                    },
                  ]
                : []),
              ...(canDelete
                ? [
                    {
                      label: "Delete",
                      isDanger: true,
                      onSelect: () => act(() => actions.deleteComment(thread, comment)),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </p>
      {isEditing && comment.body ? (
        <CommentComposer
          label="Edit comment"
          initialBody={edit.kept ?? comment.body}
          submitLabel="Save"
          isPending={isSaving}
          error={editError}
          autoFocus={!edit.isRestored}
          onBodyChange={edit.keep}
          onCancel={edit.close}
          onSubmit={(body) => {
            setSaving(true);
            setEditError(null);
            actions
              .editComment(thread, comment, body)
              .then(edit.close)
              .catch((failure: unknown) =>
                setEditError(failure instanceof Error ? failure.message : "Could not save."),
              )
              .finally(() => setSaving(false));
          }}
        />
      ) : comment.isDeleted ? (
        <p className="comment-gone">This comment was deleted.</p>
      ) : comment.isHidden && can.moderate && !isPrivate ? (
        <HiddenCommentWords commentId={comment.id} />
      ) : comment.isHidden || !comment.body ? (
        <p className="comment-gone">Hidden by an instructor.</p>
      ) : (
        <div className="comment-body">
          <CommentBodyView body={comment.body} />
        </div>
      )}
      {!isPrivate && !comment.isDeleted && !comment.isHidden && !comment.isPending && (
        <CommentReactions comment={comment} threadKind={thread.kind} me={me} onError={onError} />
      )}
    </div>
  );
}

/**
 * A comment's "⋯" menu. The Radix menu mounts on first use: a margin of
 * hundreds of cards otherwise mounts hundreds of menus nobody opens.
 */
function CommentMenu({
  label,
  items,
}: {
  label: string;
  items: { label: string; isDanger?: boolean; onSelect: () => void }[];
}) {
  const [isOpen, setOpen] = useState(false);
  const [isMounted, setMounted] = useState(false);
  if (!isMounted)
    return (
      <button
        type="button"
        className="comment-menu-trigger"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded="false"
        onClick={() => {
          setMounted(true);
          setOpen(true);
        }}
      >
        ⋯
      </button>
    );
  return (
    <DropdownMenu.Root open={isOpen} onOpenChange={setOpen}>
      <DropdownMenu.Trigger className="comment-menu-trigger" aria-label={label}>
        ⋯
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="end" sideOffset={4}>
          {items.map((item) => (
            <DropdownMenu.Item
              key={item.label}
              className={item.isDanger ? "menu-item menu-item-danger" : "menu-item"}
              onSelect={item.onSelect}
            >
              {item.label}
            </DropdownMenu.Item>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

/** What a card says when its replies could not be loaded. */
function loadFailureMessage(failure: unknown): string {
  return failure instanceof Error ? failure.message : "The replies could not be loaded.";
}
