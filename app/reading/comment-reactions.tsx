"use client";

import { useCallback, useState } from "react";
import { Tooltip } from "radix-ui";
import type { ThreadComment, ThreadKind } from "@/lib/shared/annotations/threads";
import {
  NO_REACTIONS,
  REACTION_LABELS,
  describeReactors,
  reactionKindsFor,
  type ReactionKind,
} from "@/lib/shared/reactions/reactions";
import { setCommentReaction } from "@/lib/client/annotations/api";
import { useMentionCandidates } from "./mention-candidates";

/**
 * A shared comment's reaction toggles ("Helpful", and on guiding questions "I have
 * the same question"). Each is a toggle button whose accessible name carries the
 * count ("Helpful, 3"); the counts come live from the room, and a click shows its
 * effect at once until the room confirms it. Reactions are not anonymous
 * (docs/adr/0022): hovering or focusing a button shows who reacted, which screen
 * readers hear as its description.
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
  const members = useMentionCandidates();
  if (threadKind === "NOTE") return null;
  const reactions = comment.reactions ?? NO_REACTIONS;
  // Names the room lacks (a reaction from before names were projected) come from the page's member list.
  const memberName = (userId: string) => members.find((member) => member.id === userId)?.name;
  return (
    <Tooltip.Provider delayDuration={200}>
      <div
        className="comment-reactions"
        role="group"
        aria-label={`Reactions to ${comment.author.name}’s comment`}
      >
        {reactionKindsFor(threadKind).map((kind) => {
          const inRoom = reactions[kind].includes(me.id);
          const pressed = asked[kind] ?? inRoom;
          const others = reactions[kind].filter((id) => id !== me.id);
          const who = pressed ? [me.id, ...others] : others;
          return (
            <ReactionToggle
              key={kind}
              label={REACTION_LABELS[kind]}
              pressed={pressed}
              count={who.length}
              people={describeReactors(who, comment.reactorNames ?? {}, me, memberName)}
              onToggle={() => {
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
            />
          );
        })}
      </div>
    </Tooltip.Provider>
  );
}

/** Where a reaction's tooltip is put: the nearest of these around its button. */
const TOOLTIP_HOSTS = '[role="dialog"], main';

/**
 * One toggle with its tooltip. The tooltip is always mounted and only kept shut
 * while nobody has reacted, so the button is never remounted by a count change
 * and keeps the focus it was clicked with.
 *
 * It stays open while the button holds the keyboard's focus (`:focus-visible`), not only
 * while Radix says so: Radix shuts a tooltip whenever the page scrolls, and moving the focus
 * to a button out of view scrolls the page (smoothly, over several frames) — which is what
 * Tab does in the phone layout, where the margin runs under the text, so there it shut the
 * moment it opened. Escape, a click and leaving the button still shut it.
 */
function ReactionToggle({
  label,
  pressed,
  count,
  people,
  onToggle,
}: {
  label: string;
  pressed: boolean;
  count: number;
  /** "You, Ana Ruiz and Tomás Herrera". */
  people: string;
  onToggle: () => void;
}) {
  const [isOpen, setOpen] = useState(false);
  const [hasKeyboardFocus, setKeyboardFocus] = useState(false);
  // The tooltip is put inside the button's landmark (the page's main, or the phone sheet's
  // dialog) rather than at the end of the body: content outside every landmark is lost to
  // screen-reader navigation (axe "region"), and a modal sheet hides everything outside it.
  const [container, setContainer] = useState<HTMLElement | null>(null);
  const findContainer = useCallback(
    (button: HTMLButtonElement | null) => setContainer(button?.closest<HTMLElement>(TOOLTIP_HOSTS) ?? null),
    [],
  );
  return (
    <Tooltip.Root open={(isOpen || hasKeyboardFocus) && count > 0} onOpenChange={setOpen}>
      <Tooltip.Trigger asChild>
        <button
          ref={findContainer}
          type="button"
          className="comment-reaction"
          aria-pressed={pressed}
          aria-label={`${label}, ${count}`}
          onFocus={(event) => setKeyboardFocus(event.currentTarget.matches(":focus-visible"))}
          onBlur={() => setKeyboardFocus(false)}
          onKeyDown={(event) => {
            if (event.key === "Escape") setKeyboardFocus(false);
          }}
          onClick={() => {
            setKeyboardFocus(false);
            onToggle();
          }}
        >
          {pressed && <span aria-hidden="true">✓ </span>}
          {label}
          {count > 0 && <span className="comment-reaction-count"> {count}</span>}
        </button>
      </Tooltip.Trigger>
      <Tooltip.Portal container={container}>
        <Tooltip.Content className="reaction-tooltip" side="bottom" sideOffset={5} collisionPadding={8}>
          {label}: {people}
          <Tooltip.Arrow className="reaction-tooltip-arrow" />
        </Tooltip.Content>
      </Tooltip.Portal>
    </Tooltip.Root>
  );
}
