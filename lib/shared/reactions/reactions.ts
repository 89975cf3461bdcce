/**
 * Reactions on comments: "Helpful" on any comment, "I have the same question" on
 * the comments of guiding-question threads. One of each kind per person, toggled.
 * The seminar room (and every view room) carries, per comment, who reacted and
 * their names, so each browser shows the counts live, whether its own person has
 * reacted, and on hover or focus who did (docs/adr/0022: reactions are not anonymous).
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

/** The names of the people who reacted to a comment, by user id, as rooms carry them. */
export const ZReactorNames = z.record(z.string(), z.string());
export type ReactorNames = z.infer<typeof ZReactorNames>;

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

/** The name of each person in reaction rows, by user id, for rooms. */
export function nameReactors(rows: readonly { userId: string; user: { name: string } }[]): ReactorNames {
  const names: ReactorNames = {};
  for (const row of rows) names[row.userId] = row.user.name;
  return names;
}

/** At most this many names are listed on a reaction; the rest are counted ("and 3 others"). */
export const MAX_LISTED_REACTORS = 12;

/**
 * Who reacted, in words, for the reaction's tooltip: "You, Ana Ruiz and Tomás Herrera",
 * oldest first with the reader first; a name the room does not know (someone who
 * reacted before names were projected and has left) reads "a former member".
 */
export function describeReactors(
  userIds: readonly string[],
  names: Readonly<ReactorNames>,
  me: { id: string },
  fallbackName: (userId: string) => string | undefined = () => undefined,
): string {
  const ordered = [
    ...userIds.filter((id) => id === me.id).map(() => "You"),
    ...userIds.filter((id) => id !== me.id).map((id) => names[id] ?? fallbackName(id) ?? "a former member"),
  ];
  const listed = ordered.slice(0, MAX_LISTED_REACTORS);
  const rest = ordered.length - listed.length;
  if (rest > 0) listed.push(rest === 1 ? "1 other" : `${rest} others`);
  if (listed.length <= 1) return listed.join("");
  return `${listed.slice(0, -1).join(", ")} and ${listed[listed.length - 1] as string}`;
}
