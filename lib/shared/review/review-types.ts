/**
 * What the review page shows: threads as one list, participation per member,
 * discussion per paragraph. Built on the server (lib/server/review), shown
 * by app/review; plain JSON so route handlers can return it as it is.
 */
import type { ThreadKind } from "../annotations/threads";
import type { TReviewQuery } from "./review-query";

/** A member's role, or null for someone who is no longer a member. */
export type ReviewRole = "INSTRUCTOR" | "STUDENT" | null;

/** A person as the review shows them. */
export type ReviewPerson = {
  id: string;
  name: string;
  /** Their role in the seminar now. */
  role: ReviewRole;
};

/** A category as the review shows it. */
export type ReviewCategory = { id: string; name: string; color: string };

/** One thread in the review list. */
export type ReviewThread = {
  /** The annotation id (or the private note's id). */
  id: string;
  kind: ThreadKind;
  /** Shared in the seminar, or the viewer's own private note. */
  layer: "seminar" | "private";
  /** The passage as the text reads now; the quote it was made on when it is gone from the text. */
  quote: string;
  /** The quote it was made on, when an instructor's edit of the text has changed its words since; else null. */
  originalQuote: string | null;
  author: ReviewPerson;
  category: ReviewCategory | null;
  /** Highlights and private notes are always open. */
  status: "open" | "resolved";
  resolvedAt: string | null;
  /** A pinned guiding question. */
  pinned: boolean;
  createdAt: string;
  /** The newest comment's time, or the thread's creation. */
  lastActivityAt: string;
  /** Comments in the thread, deleted ones left out (hidden ones counted). */
  commentCount: number;
  /** Comments after the opening one (for highlights, every comment). */
  replyCount: number;
  /** Reactions ("helpful", "same question") to its comments that are not hidden. */
  reactionCount: number;
  /**
   * The opening comment: its author and words. A comment hidden by an instructor has
   * `isHidden`; its words are null for students and there, marked hidden, for instructors.
   */
  firstComment: { authorName: string; text: string | null; isHidden: boolean } | null;
  /** Plain-text offsets in the current text; null when the passage is gone (detached). */
  position: { start: number; end: number } | null;
  /** Index of the text block (paragraph) it starts in; null when detached. */
  blockIndex: number | null;
  /** Opens the reading at the passage with this thread focused. */
  href: string;
};

/** What `findReviewThreads` answers: one page of the matching threads, and how many there are in all. */
export type ReviewResult = {
  /** The query as understood (defaults filled in; `page` within the pages there are). */
  query: TReviewQuery;
  /** The threads of this page, in the query's order. */
  threads: ReviewThread[];
  /** Counts over every matching thread, not only this page. */
  totals: {
    /** Threads matching the filters. */
    threads: number;
    /** Of them, shared in the seminar (the rest are the viewer's private notes). */
    shared: number;
    /** Comments in the shared ones (deleted ones left out). */
    comments: number;
  };
  /** Pages of `query.perPage` threads (at least 1). */
  pageCount: number;
  /** Labels of the current text's blocks by index ("Paragraph 4"), to say where each thread is. */
  blockLabels: string[];
  /**
   * Choices for the filters: members and anyone who wrote on this reading; the seminar's
   * categories; the tags of this reading's comments the viewer may see, by name.
   */
  options: { participants: ReviewPerson[]; categories: ReviewCategory[]; tags: string[] };
  viewer: { id: string; role: "INSTRUCTOR" | "STUDENT" };
};

/** One member's activity on a reading. */
export type ParticipantActivity = ReviewPerson & {
  /** Highlights they made. */
  highlights: number;
  /** Threads they opened with words: comments and guiding questions. */
  comments: number;
  /** Comments they wrote after a thread's opening one (in anyone's thread). */
  replies: number;
  /** Words in everything they wrote (deleted comments left out). */
  words: number;
  /** Distinct passages they annotated (overlapping ranges count once). */
  passages: number;
  /** Characters of the current text inside those passages. */
  charactersCovered: number;
  firstActivityAt: string | null;
  lastActivityAt: string | null;
};

/** A piece of a block's text, for rendering it without HTML. */
export type BlockSegment =
  | { text: string; italic?: boolean; bold?: boolean }
  /** A footnote reference marker. */
  | { noteRef: number };

/** One text block (a paragraph, in the review's sense) of the current text and the discussion it drew. */
export type ParagraphActivity = {
  /** 0-based, in document order. */
  index: number;
  kind: "title" | "byline" | "source" | "paragraph" | "quote" | "note";
  /** How screen readers and the page name it: "Paragraph 4", "Note 2", "Title". */
  label: string;
  segments: BlockSegment[];
  /** Shared threads that start in it. */
  threads: number;
  /** Comments in those threads. */
  comments: number;
};

/** What `getParticipation` answers. */
export type ParticipationReport = {
  participants: ParticipantActivity[];
  paragraphs: ParagraphActivity[];
  /** Characters in the current text (for "share covered"). */
  textLength: number;
};
