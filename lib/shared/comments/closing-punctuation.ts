/**
 * A picked tag or mention reads like a typed word. The composer's pickers insert a
 * space after the node they insert (app/reading/inline-picker.tsx), so a writer who
 * goes on with punctuation stores "#close-reading ," — the space is theirs to keep in
 * the stored body, but every renderer (the margin, the review, the plain text, the
 * HTML and Markdown exports) shows "#close-reading," by calling this first.
 */
import type { CommentInline } from "./comment-body";

/**
 * One ASCII space, then punctuation that ends a word (the characters that end a typed
 * `#word` in lib/client/editor/tag.ts). A no-break or thin space, as French typography
 * puts before `;:!?`, was typed on purpose and is kept.
 */
const SPACE_BEFORE_PUNCTUATION = /^ (?=[.,;:!?)\]])/;

/**
 * A paragraph's inlines with the space between a tag or mention and the punctuation
 * after it left out; the same array when there is none.
 */
export function closeUpPunctuation(content: readonly CommentInline[]): readonly CommentInline[] {
  let out: CommentInline[] | null = null;
  content.forEach((node, index) => {
    const previous = content[index - 1];
    const isAfterAtom = previous?.type === "tag" || previous?.type === "mention";
    if (isAfterAtom && node.type === "text" && SPACE_BEFORE_PUNCTUATION.test(node.text)) {
      out ??= content.slice(0, index);
      out.push({ ...node, text: node.text.slice(1) });
    } else {
      out?.push(node);
    }
  });
  return out ?? content;
}
