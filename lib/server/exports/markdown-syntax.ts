/**
 * Writing Markdown (CommonMark + GFM) that says only what it means: escaping for
 * text inside a line and at its start, and link destinations, for the text
 * writer (markdown.ts) and the comment bodies (markdown-comment-body.ts) alike.
 */

/** A link destination that no parenthesis or space can end early. */
export function linkDestination(href: string): string {
  return href.replace(
    /[\s()<>]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
}

/** Backslash-escapes every character Markdown (CommonMark + GFM) could read as markup inside a line. */
export function escapeInline(text: string): string {
  return text.replace(/[\\`*_[\]<>#|~&]/g, "\\$&");
}

/** Escapes what would make a line a list item, heading rule or setext underline. */
export function escapeLineStart(line: string): string {
  if (/^[-+=]/.test(line)) return `\\${line}`;
  return line.replace(/^(\d+)([.)])/, "$1\\$2");
}

/** A line of quoted text, escaped. */
export function escapeLine(line: string): string {
  return escapeLineStart(escapeInline(line));
}
