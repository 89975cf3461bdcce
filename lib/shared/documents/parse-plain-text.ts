/**
 * The plain-text format of Marginalia's texts (docs/adr/0003), parsed into
 * ProseMirror JSON in the reading schema.
 *
 *   Title
 *   <blank>
 *   Publication, No. 147, July/August 2010        (the source line)
 *   <blank>
 *   Author
 *   <blank>
 *   Paragraph, one per block, blocks separated by blank lines.(1)
 *   “A paragraph that is one quotation, with an optional citation.” (Ibid.)
 *   <blank lines>
 *     1. The first note.
 *       back to text
 *     2. …
 *
 * - A reference `(N)` directly after a non-space character, where note N
 *   exists, becomes a footnote reference; anything else stays text.
 * - A paragraph that is wholly a quotation (“…”) plus an optional
 *   parenthesised citation becomes a block quote.
 * - Notes are indented `N. text` lines; a following `back to text` line is
 *   dropped (the note gets its link back from the schema). A note with no
 *   reference in the text is kept.
 */
import type { JSONContent } from "@tiptap/core";
import { AppError } from "../errors";

/** The parsed parts of a text file. */
export type ParsedText = {
  /** The title line. */
  title: string;
  /** The author line. */
  byline: string;
  /** The source line, whole and in parts. */
  source: { line: string; publication: string; issue: string | null; date: string | null };
  /** The document in the reading schema. */
  content: JSONContent;
  /** Footnote numbers in the order their references appear in the text. */
  referencedNotes: number[];
  /** Every note number, in order. */
  notes: number[];
};

const NOTE_LINE = /^\s+(\d+)\.\s+(.*)$/;
const BACK_TO_TEXT = /^\s*back to text\s*$/i;
const REFERENCE = /(?<=\S)\((\d{1,3})\)/g;
const BLOCK_QUOTE = /^“[^“”]*”(?:\s*\([^()]*\))?$/;

/** Thrown for a file that does not fit the format; names the line. */
function formatError(line: number, message: string): AppError {
  return new AppError("invalid_input", `Line ${line}: ${message}`, { line });
}

/** Parses a text file in the plain format; throws an AppError naming the offending line. */
export function parsePlainText(raw: string): ParsedText {
  const text = raw.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const lines = text.split("\n");
  let cursor = 0;

  const skipBlank = () => {
    while (cursor < lines.length && (lines[cursor] as string).trim() === "") cursor++;
  };
  const takeHeaderLine = (what: string): string => {
    skipBlank();
    const line = lines[cursor];
    if (line === undefined) {
      throw formatError(Math.max(lines.length, 1), `expected the ${what}, but the file ends here.`);
    }
    if (NOTE_LINE.test(line)) throw formatError(cursor + 1, `expected the ${what}, found a note.`);
    if (/^\s/.test(line)) throw formatError(cursor + 1, `the ${what} must not be indented.`);
    const next = lines[cursor + 1];
    if (next !== undefined && next.trim() !== "") {
      throw formatError(cursor + 2, `expected a blank line after the ${what}.`);
    }
    cursor++;
    return line.trim();
  };

  const title = takeHeaderLine("title");
  const sourceLine = takeHeaderLine("source line (publication, issue, date)");
  const byline = takeHeaderLine("author line");
  const source = parseSourceLine(sourceLine);

  // Body paragraphs until the first note line.
  const paragraphs: { text: string; line: number }[] = [];
  let current: { text: string; line: number } | null = null;
  for (; cursor < lines.length; cursor++) {
    const line = lines[cursor] as string;
    if (NOTE_LINE.test(line)) break;
    if (line.trim() === "") {
      current = null;
      continue;
    }
    if (/^\s/.test(line)) {
      throw formatError(cursor + 1, "an indented line in the text must be a note (“  1. …”).");
    }
    if (current) current.text += ` ${line.trim()}`;
    else paragraphs.push((current = { text: line.trimEnd(), line: cursor + 1 }));
  }
  if (paragraphs.length === 0) throw formatError(cursor + 1, "the text has no paragraphs.");

  // Notes.
  const notes: { number: number; text: string; line: number }[] = [];
  for (; cursor < lines.length; cursor++) {
    const line = lines[cursor] as string;
    if (line.trim() === "") continue;
    const match = NOTE_LINE.exec(line);
    if (match) {
      const number = Number(match[1]);
      const expected = notes.length + 1;
      if (number !== expected)
        throw formatError(cursor + 1, `expected note ${expected}, found note ${number}.`);
      notes.push({ number, text: (match[2] as string).trimEnd(), line: cursor + 1 });
    } else if (BACK_TO_TEXT.test(line)) {
      if (notes.length === 0) throw formatError(cursor + 1, "“back to text” before any note.");
    } else if (/^\s/.test(line) && notes.length > 0) {
      const note = notes[notes.length - 1] as { text: string };
      note.text += ` ${line.trim()}`;
    } else {
      throw formatError(cursor + 1, "text after the notes must be an indented note line or “back to text”.");
    }
  }

  const noteNumbers = new Set(notes.map((note) => note.number));
  const referenced: number[] = [];
  const body: JSONContent[] = paragraphs.map((paragraph) => {
    const inline = inlineWithReferences(paragraph.text, noteNumbers, (n) => {
      if (referenced.includes(n)) {
        throw formatError(paragraph.line, `note ${n} is referenced twice; each note may be referenced once.`);
      }
      referenced.push(n);
    });
    const node: JSONContent = { type: "paragraph", content: inline };
    return BLOCK_QUOTE.test(paragraph.text) ? { type: "blockquote", content: [node] } : node;
  });

  const content: JSONContent = {
    type: "doc",
    content: [
      { type: "title", content: [{ type: "text", text: title }] },
      { type: "byline", content: [{ type: "text", text: byline }] },
      {
        type: "source",
        attrs: { publication: source.publication, issue: source.issue, date: source.date },
        content: sourceContent(source),
      },
      ...body,
      ...(notes.length > 0
        ? [
            {
              type: "footnotes",
              content: notes.map((note) => ({
                type: "footnote",
                attrs: { number: note.number, hasReference: referenced.includes(note.number) },
                content: [{ type: "paragraph", content: [{ type: "text", text: note.text }] }],
              })),
            },
          ]
        : []),
    ],
  };

  return {
    title,
    byline,
    source,
    content,
    referencedNotes: referenced,
    notes: notes.map((note) => note.number),
  };
}

/** Splits a paragraph's text at its footnote references. */
function inlineWithReferences(
  text: string,
  notes: Set<number>,
  onReference: (n: number) => void,
): JSONContent[] {
  const content: JSONContent[] = [];
  let last = 0;
  for (const match of text.matchAll(REFERENCE)) {
    const n = Number(match[1]);
    if (!notes.has(n)) continue;
    onReference(n);
    if (match.index > last) content.push({ type: "text", text: text.slice(last, match.index) });
    content.push({ type: "footnoteReference", attrs: { number: n } });
    last = match.index + match[0].length;
  }
  if (last < text.length) content.push({ type: "text", text: text.slice(last) });
  return content;
}

/** Reads “Publication, No. 147, July/August 2010”: the last part is the date, an issue-like part before it the issue. */
export function parseSourceLine(line: string): ParsedText["source"] {
  const parts = line.split(/,\s*/);
  if (parts.length === 1) return { line, publication: line, issue: null, date: null };
  const date = parts.pop() as string;
  const issueIndex = parts.findIndex((part, i) => i > 0 && /^(No\.?|Vol\.?|Issue|#)\s*\S+/i.test(part));
  const issue = issueIndex > 0 ? parts.splice(issueIndex).join(", ") : null;
  return { line, publication: parts.join(", "), issue, date };
}

/** The source line as text, with the publication's name in italics. */
function sourceContent(source: ParsedText["source"]): JSONContent[] {
  const rest = source.line.slice(source.publication.length);
  const content: JSONContent[] = [{ type: "text", text: source.publication, marks: [{ type: "italic" }] }];
  if (rest) content.push({ type: "text", text: rest });
  return content;
}
