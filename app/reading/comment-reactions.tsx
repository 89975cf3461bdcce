"use client";

import { useState } from "react";
import type { ThreadComment, ThreadKind } from "@/lib/shared/annotations/threads";
import {
  NO_REACTIONS,
  REACTION_LABELS,
  reactionKindsFor,
  type ReactionKind,
} from "@/lib/shared/reactions/reactions";
import { setCommentReaction } from "@/lib/client/annotations/api";

/**
 * A shared comment's reaction toggles ("Helpful", and on guiding questions "I have
 * the same question"). Each is a toggle button whose accessible name carries the
 * count ("Helpful, 3"); the counts come live from the room, and a click shows its
 * effect at once until the room confirms it.
 */
export function CommentReactions({
  comment,
  threadKind,
  me,
  onError,
}: {
  comment: ThreadComment;
  threadKind: ThreadKind;
  me: { id: string };
  onError: (message: string | null) => void;
}) {
  // What this person just asked for, shown until the room agrees.
  const [asked, setAsked] = useState<Partial<Record<ReactionKind, boolean>>>({});
  if (threadKind === "NOTE") return null;
  const reactions = comment.reactions ?? NO_REACTIONS;
  return (
    <div
      className="comment-reactions"
      role="group"
      aria-label={`Reactions to ${comment.author.name}’s comment`}
    >
      {reactionKindsFor(threadKind).map((kind) => {
        const others = reactions[kind].filter((id) => id !== me.id).length;
        const inRoom = reactions[kind].includes(me.id);
        const pressed = asked[kind] ?? inRoom;
        const count = others + (pressed ? 1 : 0);
        return (
          <button
            key={kind}
            type="button"
            className="comment-reaction"
            aria-pressed={pressed}
            aria-label={`${REACTION_LABELS[kind]}, ${count}`}
            onClick={() => {
              onError(null);
              setAsked((current) => ({ ...current, [kind]: !pressed }));
              setCommentReaction(comment.id, kind, !pressed)
                .catch((failure: unknown) =>
                  onError(failure instanceof Error ? failure.message : "That did not work."),
                )
                .finally(() =>
                  setAsked((current) => {
                    const next = { ...current };
                    delete next[kind];
                    return next;
                  }),
                );
            }}
          >
            {pressed && <span aria-hidden="true">✓ </span>}
            {REACTION_LABELS[kind]}
            {count > 0 && <span className="comment-reaction-count"> {count}</span>}
          </button>
        );
      })}
    </div>
  );
}
