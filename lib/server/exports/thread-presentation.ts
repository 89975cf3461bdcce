/**
 * What every export format (Markdown, CSV, JSON-LD, the annotated copies)
 * says the same way about a thread: its labels, its passage in the current
 * text, which comment is the annotation's own and which are replies, who a
 * participant filter names, and where it all lives on the web.
 */
import { quoteAt, type TextQuote } from "@/lib/shared/anchors/quote";
import { findTags } from "@/lib/shared/comments/comment-body";
import { readingPath, seminarPath } from "@/lib/shared/urls";
import type { ExportComment, ExportData, ExportThread } from "./load-export-data";

export { KIND_LABELS } from "@/lib/shared/annotations/kinds";

/** "Instructor", "Student", or "" when the role is unknown (private notes). */
export function roleLabel(role: string | null): string {
  if (role === "INSTRUCTOR") return "Instructor";
  if (role === "STUDENT") return "Student";
  return "";
}

/** Who a participant filter names: the first name found on their threads or comments, or null. */
export function participantName(data: ExportData, id: string): string | null {
  for (const thread of data.threads) {
    if (thread.author.id === id) return thread.author.name;
    const comment = thread.comments.find((candidate) => candidate.author.id === id);
    if (comment) return comment.author.name;
  }
  return null;
}

/**
 * The passage a thread marks, quoted from the current text (where its
 * TextPositionSelector counts), or the quote it was made on when it no
 * longer has a place in the text.
 */
export function threadPassage(data: ExportData, thread: ExportThread): TextQuote {
  if (!thread.position) return thread.quote;
  return quoteAt({ text: data.document.plainText }, thread.position.start, thread.position.end);
}

/** A thread's comments split into the annotation's own words and the replies to it. */
export type ThreadParts = {
  /** The comment written with the annotation (a comment's text, a question, a note); null for highlights. */
  root: ExportComment | null;
  /** Every other comment, oldest first. */
  replies: ExportComment[];
};

/**
 * Comments, guiding questions and notes are created with their first
 * comment; everything after it is a reply. A highlight has no words of its
 * own. When a participant filter dropped the first comment (someone else's
 * thread), the participant's comments are all replies — hence the author check.
 */
export function splitThread(thread: ExportThread): ThreadParts {
  const [first, ...rest] = thread.comments;
  if (thread.kind !== "HIGHLIGHT" && first && first.parentId === null && first.author.id === thread.author.id)
    return { root: first, replies: rest };
  return { root: null, replies: thread.comments };
}

/** The reading page, which is also the IRI of the text the annotations target. */
export function readingUrl(data: ExportData, origin: string): string {
  return `${trimOrigin(origin)}${readingPath(data.seminar.id, data.document.id)}`;
}

/**
 * The reading page for a link in an annotated copy: only on an http(s)
 * origin, since the copy is opened from disk and a link elsewhere would mislead.
 */
export function webReadingUrl(data: ExportData, origin: string): string | null {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  return readingUrl(data, url.origin);
}

/** The IRI of a thread's annotation. */
export function threadIri(data: ExportData, origin: string, thread: { id: string }): string {
  return `${readingUrl(data, origin)}#annotation-${encodeURIComponent(thread.id)}`;
}

/** The IRI of a reply. */
export function commentIri(data: ExportData, origin: string, comment: { id: string }): string {
  return `${readingUrl(data, origin)}#comment-${encodeURIComponent(comment.id)}`;
}

/** The IRI of a person, on the seminar page that lists the members. */
export function personIri(data: ExportData, origin: string, userId: string): string {
  return `${trimOrigin(origin)}${seminarPath(data.seminar.id)}#member-${encodeURIComponent(userId)}`;
}

function trimOrigin(origin: string): string {
  return origin.replace(/\/+$/, "");
}

/**
 * What a deleted comment, or a hidden one in a student's export, says in its place
 * (its words are not exported); null when its words are there.
 */
export function removedCommentLabel(comment: ExportComment): string | null {
  if (comment.isDeleted) return "[deleted]";
  if (comment.isHidden && comment.body === null) return "[hidden by an instructor]";
  return null;
}

/** How an instructor's export marks the words of a comment students no longer see. */
export const HIDDEN_FROM_STUDENTS = "Hidden from students";

/** Whether a comment is hidden from students and its words are in this (an instructor's) export. */
export function isShownHidden(comment: ExportComment): boolean {
  return comment.isHidden && !comment.isDeleted && comment.body !== null;
}

/**
 * The colophon's warning when the export holds words hidden from students, e.g.
 * "1 comment hidden from students, for instructors only" (a copy may be passed
 * on); null when it holds none.
 */
export function hiddenWordsNotice(data: ExportData): string | null {
  const count = data.threads.reduce((sum, thread) => sum + thread.comments.filter(isShownHidden).length, 0);
  if (count === 0) return null;
  return `${count} ${count === 1 ? "comment" : "comments"} hidden from students, for instructors only`;
}

/** A comment's reactions in words, e.g. "2 found it helpful · 1 has the same question"; null when none. */
export function reactionSummary(comment: ExportComment): string | null {
  const { helpful, sameQuestion } = comment.reactionCounts;
  const parts: string[] = [];
  if (helpful > 0) parts.push(`${helpful} found it helpful`);
  if (sameQuestion > 0)
    parts.push(`${sameQuestion} ${sameQuestion === 1 ? "has" : "have"} the same question`);
  return parts.length > 0 ? parts.join(" · ") : null;
}

/** A comment's #tags, each once; none for a deleted or hidden comment (its tags are its words). */
export function commentTags(comment: ExportComment): string[] {
  return comment.body && !comment.isDeleted && !comment.isHidden ? findTags(comment.body) : [];
}
