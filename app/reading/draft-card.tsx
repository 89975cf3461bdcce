"use client";

import { memo } from "react";
import { KIND_LABELS } from "@/lib/shared/annotations/kinds";
import type { CommentBody } from "@/lib/shared/comments/comment-body";
import { CommentComposer } from "./comment-composer";

/** A new thread being written (not sent yet). */
export type Draft = {
  id: string;
  kind: "COMMENT" | "GUIDING_QUESTION" | "NOTE";
  from: number;
  to: number;
  quote: string;
};

const DRAFT_LABEL: Record<Draft["kind"], { title: string; submit: string; placeholder: string }> = {
  COMMENT: {
    title: "New comment",
    submit: "Comment",
    placeholder: "What do you notice here?",
  },
  GUIDING_QUESTION: {
    title: "New guiding question",
    submit: "Ask",
    placeholder: "A question for the seminar…",
  },
  NOTE: {
    title: "New private note",
    submit: "Save note",
    placeholder: "Only you will see this.",
  },
};

/** The margin's key for a draft's item. */
export function draftKey(draft: Draft): string {
  return `draft:${draft.id}`;
}

/** The card of a thread being written. */
export const DraftCard = memo(function DraftCard({
  draft,
  isDraftPending,
  draftError,
  onDraftSubmit,
  onDraftCancel,
}: {
  draft: Draft;
  isDraftPending: boolean;
  draftError: string | null;
  onDraftSubmit: (body: CommentBody) => void;
  onDraftCancel: () => void;
}) {
  return (
    <div className="thread thread-draft" data-card-id={draftKey(draft)}>
      <p className="thread-kind">{DRAFT_LABEL[draft.kind].title}</p>
      <blockquote className="thread-quote">
        {draft.quote.length > 140 ? `${draft.quote.slice(0, 137)}…` : draft.quote}
      </blockquote>
      <CommentComposer
        key={draft.id}
        label={KIND_LABELS[draft.kind]}
        placeholder={DRAFT_LABEL[draft.kind].placeholder}
        submitLabel={DRAFT_LABEL[draft.kind].submit}
        isPending={isDraftPending}
        error={draftError}
        autoFocus
        onSubmit={(body) => onDraftSubmit(body)}
        onCancel={onDraftCancel}
      />
    </div>
  );
});
