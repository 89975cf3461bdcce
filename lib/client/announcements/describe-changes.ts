/**
 * What a screen reader hears when other readers change the discussion: the
 * differences between two projections of the seminar room, as short sentences
 * ("Tomás Herrera commented on ‘the savage, the exotic Mexico’"), and several
 * changes within a moment coalesced into one.
 */
import type { Thread } from "@/lib/shared/annotations/threads";

/** One change somebody else made. */
export type DiscussionChange = {
  /** Who made it. */
  actor: string;
  /** The sentence for this change alone. */
  sentence: string;
};

/** Longest quote an announcement repeats; longer ones end in “…”. */
const QUOTE_LENGTH = 48;

/** A passage's words as an announcement quotes them. */
export function quoteForAnnouncement(exact: string): string {
  const words = exact.replace(/\s+/g, " ").trim();
  return `‘${words.length > QUOTE_LENGTH ? `${words.slice(0, QUOTE_LENGTH - 1).trimEnd()}…` : words}’`;
}

const STARTED: Record<Thread["kind"], string> = {
  HIGHLIGHT: "highlighted",
  COMMENT: "commented on",
  GUIDING_QUESTION: "asked a guiding question on",
  NOTE: "noted",
};

/**
 * The changes from `before` to `after` made by anyone but `viewerId`: new shared
 * threads and new replies. Edits, deletions and moderation stay silent (the card
 * shows them); a reader's own actions are never announced.
 */
export function describeChanges(before: Thread[], after: Thread[], viewerId: string): DiscussionChange[] {
  const known = new Map(before.map((thread) => [thread.id, thread]));
  const changes: DiscussionChange[] = [];
  for (const thread of after) {
    if (thread.layer !== "seminar" || thread.status !== "committed") continue;
    const quote = quoteForAnnouncement(thread.anchor.quote.exact);
    const previous = known.get(thread.id);
    if (!previous) {
      if (thread.author.id !== viewerId)
        changes.push({
          actor: thread.author.name,
          sentence: `${thread.author.name} ${STARTED[thread.kind]} ${quote}`,
        });
      continue;
    }
    if (thread.summary && previous.summary) {
      // The room carries the first comment only (docs/adr/0027): a new comment shows as a
      // larger count and its author, whether or not this reader has the thread's body loaded.
      const { commentCount, lastAuthorId, lastAuthorName } = thread.summary;
      if (
        commentCount > previous.summary.commentCount &&
        lastAuthorId !== null &&
        lastAuthorId !== viewerId
      ) {
        const verb =
          thread.kind === "HIGHLIGHT" && previous.summary.commentCount === 0 ? "commented on" : "replied on";
        const actor = lastAuthorName ?? "Someone";
        changes.push({ actor, sentence: `${actor} ${verb} ${quote}` });
      }
      continue;
    }
    const seen = new Set(previous.comments.map((comment) => comment.id));
    // The first comment of a comment or question thread is the thread itself.
    for (const comment of thread.comments) {
      if (seen.has(comment.id) || comment.isPending || comment.author.id === viewerId) continue;
      const verb = thread.kind === "HIGHLIGHT" && !previous.comments.length ? "commented on" : "replied on";
      changes.push({ actor: comment.author.name, sentence: `${comment.author.name} ${verb} ${quote}` });
    }
  }
  return changes;
}

/** Joins names as a sentence does: “A”, “A and B”, “A, B and C”. */
function listNames(names: string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/** One announcement for changes that arrived within a moment: the sentence itself, or a summary. */
export function summarizeChanges(changes: DiscussionChange[]): string {
  if (changes.length === 0) return "";
  if (changes.length === 1) return (changes[0] as DiscussionChange).sentence;
  const actors = [...new Set(changes.map((change) => change.actor))];
  return `${changes.length} new annotations and replies by ${listNames(actors)}`;
}
