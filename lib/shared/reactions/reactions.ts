/**
 * Reactions on comments: "Helpful" on any comment, "I have the same question" on
 * the comments of guiding-question threads. One of each kind per person, toggled.
 * The seminar room (and every view room) carries, per comment, who reacted, so
 * each browser shows the counts live and whether its own person has reacted.
 */
import "../validation/zod-in-browsers";
import { z } from "zod";
import type { AnnotationKind } from "../annotations/types";

/** The kinds, as URLs and rooms spell them. */
export const REACTION_KINDS = ["helpful", "same-question"] as const;
/** One of {@link REACTION_KINDS}. */
export type ReactionKind = (typeof REACTION_KINDS)[number];

/** The rows' spelling of each kind (the `ReactionKind` enum of prisma/schema.prisma). */
export const REACTION_ROW_KIND = { helpful: "HELPFUL", "same-question": "SAME_QUESTION" } as const;

/** The button's label of each kind. */
export const REACTION_LABELS: Record<ReactionKind, string> = {
  helpful: "Helpful",
  "same-question": "I have the same question",
};

/** Who reacted to a comment, by kind (user ids, oldest first). */
export const ZCommentReactions = z.object({
  helpful: z.array(z.string()),
  "same-question": z.array(z.string()),
});
export type CommentReactions = z.infer<typeof ZCommentReactions>;

/** No reactions yet. */
export const NO_REACTIONS: CommentReactions = { helpful: [], "same-question": [] };

/** The kinds a comment in a thread of `threadKind` offers. */
export function reactionKindsFor(threadKind: AnnotationKind): readonly ReactionKind[] {
  return threadKind === "GUIDING_QUESTION" ? REACTION_KINDS : ["helpful"];
}

/** Parses a kind from a URL segment; null when it is none of {@link REACTION_KINDS}. */
export function parseReactionKind(value: string): ReactionKind | null {
  return (REACTION_KINDS as readonly string[]).includes(value) ? (value as ReactionKind) : null;
}

/** Groups reaction rows by kind, for rooms and exports. */
export function groupReactions(rows: readonly { kind: string; userId: string }[]): CommentReactions {
  const grouped: CommentReactions = { helpful: [], "same-question": [] };
  for (const row of rows) {
    if (row.kind === "HELPFUL") grouped.helpful.push(row.userId);
    else if (row.kind === "SAME_QUESTION") grouped["same-question"].push(row.userId);
  }
  return grouped;
}
