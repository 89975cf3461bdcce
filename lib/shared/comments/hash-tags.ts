/**
 * `#words` typed as text become tag nodes (docs/adr/0021-tags.md). The composer
 * runs this before it submits, so a tag typed and not picked from the list (the
 * last word of a comment, say, or a pasted one) is still a tag. The API does not:
 * a client that wants tags sends `tag` nodes.
 */
import { mapCommentInlines, type CommentBody, type CommentInline, type CommentText } from "./comment-body";
import { normalizeTag } from "./tags";

/**
 * A `#word` at the start of a run or after white space, up to the first
 * character a tag cannot hold. "C#" and "#1" stay text (no start; no letter).
 */
const HASH_WORD = /(^|\s)#([\p{L}\p{M}\p{N}_-]+)/gu;

/** A text run cut into text and tags; a linked run stays as it is (its words are the link's). */
function splitRun(run: CommentText): CommentInline[] {
  if (run.marks?.some((mark) => mark.type === "link")) return [run];
  const out: CommentInline[] = [];
  let last = 0;
  const text = (value: string) => {
    if (value !== "")
      out.push(run.marks ? { type: "text", text: value, marks: run.marks } : { type: "text", text: value });
  };
  for (const match of run.text.matchAll(HASH_WORD)) {
    const name = normalizeTag(match[2]);
    if (!name) continue;
    const start = (match.index ?? 0) + (match[1] ?? "").length;
    text(run.text.slice(last, start));
    out.push({ type: "tag", attrs: { name } });
    last = start + 1 + (match[2] ?? "").length;
  }
  if (last === 0) return [run];
  text(run.text.slice(last));
  return out;
}

/** The body with every `#word` that is a valid tag turned into a `tag` node. */
export function tagHashWords(body: CommentBody): CommentBody {
  return mapCommentInlines(body, (content) =>
    content.flatMap((inline) => (inline.type === "text" ? splitRun(inline) : [inline])),
  );
}
