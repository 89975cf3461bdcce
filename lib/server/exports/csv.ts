/**
 * The threads as CSV (RFC 4180), one row per comment — and one for each
 * highlight itself, with the comment fields empty — for a spreadsheet or a
 * script. Every field is quoted, records end in CRLF, and the file starts
 * with a UTF-8 byte order mark so that spreadsheet apps read accents right.
 *
 * Comments are written by seminar members, so a cell must never run as a
 * formula when the file is opened: cells that start with = + - @ (after any
 * white space), a tab or a carriage return get a leading apostrophe, as OWASP's "CSV Injection"
 * page advises (https://owasp.org/www-community/attacks/CSV_Injection); so do
 * cells starting with NUL (ASVS 1.2.10) or the full-width = + - @, which some
 * spreadsheet apps also take for formulas.
 */
import type { ExportComment, ExportData, ExportThread } from "./load-export-data";
import { joinChunks } from "./stream-chunks";
import {
  commentTags,
  KIND_LABELS,
  removedCommentLabel,
  roleLabel,
  threadPassage,
} from "./thread-presentation";
import { tagLabel } from "@/lib/shared/comments/tags";

/** The header row, in column order. */
export const CSV_COLUMNS = [
  "thread number",
  "thread id",
  "comment id",
  "kind",
  "layer",
  "status",
  "category",
  "quote",
  "position start",
  "position end",
  "author",
  "role",
  "comment text",
  "tags",
  "created",
  "edited",
  "resolved at",
  "parent comment id",
  "helpful",
  "same question",
  "hidden",
] as const;

/** The UTF-8 byte order mark, as the file's first character. */
export const CSV_BOM = "\uFEFF";

/** Rows (one a chunk, the BOM and header first), for streaming. */
export function* csvChunks(data: ExportData): Generator<string> {
  yield CSV_BOM + csvRecord(CSV_COLUMNS);
  for (const thread of data.threads) {
    const quote = threadPassage(data, thread).exact;
    // A highlight has a row of its own even when it has replies, so that
    // who highlighted what is never lost.
    if (thread.kind === "HIGHLIGHT" || thread.comments.length === 0)
      yield csvRecord(threadRow(thread, quote, null));
    for (const comment of thread.comments) yield csvRecord(threadRow(thread, quote, comment));
  }
}

/** The CSV export as one string. */
export function renderCsv(data: ExportData): string {
  return joinChunks(csvChunks(data));
}

function threadRow(thread: ExportThread, quote: string, comment: ExportComment | null): string[] {
  const author = comment?.author ?? thread.author;
  return [
    String(thread.number),
    thread.id,
    comment?.id ?? "",
    KIND_LABELS[thread.kind].toLowerCase(),
    thread.layer,
    thread.resolvedAt ? "resolved" : "open",
    thread.category?.name ?? "",
    quote,
    thread.position ? String(thread.position.start) : "",
    thread.position ? String(thread.position.end) : "",
    author.name,
    roleLabel(author.role).toLowerCase(),
    comment ? (removedCommentLabel(comment) ?? comment.text) : "",
    comment ? commentTags(comment).map(tagLabel).join(" ") : "",
    comment?.createdAt ?? thread.createdAt,
    comment?.editedAt ?? "",
    thread.resolvedAt ?? "",
    comment?.parentId ?? "",
    comment ? String(comment.reactionCounts.helpful) : "",
    comment ? String(comment.reactionCounts.sameQuestion) : "",
    // Hidden from students: an instructor's export has its words, a student's "[hidden by an instructor]".
    comment?.isHidden ? "yes" : "",
  ];
}

/**
 * Cells a spreadsheet may read as a formula (OWASP, ASVS): a tab, CR or NUL
 * first, or = + - @ (or their full-width forms) as the first character that
 * is not white space. Spreadsheet apps skip leading spaces and line breaks
 * before a formula (issue 9 §4: " =1+1" and "\n=1+1" ran), so the check
 * looks past them; `\s` covers tabs, CR, LF, and Unicode spaces such as
 * U+00A0 and U+3000.
 */
const FORMULA_TRIGGERS = /^(?:[\t\r\0]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/;

/** One field: defused when it could be a formula, then quoted with inner quotes doubled (RFC 4180). */
export function csvField(value: string): string {
  const safe = FORMULA_TRIGGERS.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** One record, CRLF-terminated. */
export function csvRecord(fields: readonly string[]): string {
  return `${fields.map(csvField).join(",")}\r\n`;
}
