/**
 * #tags in the comment editor (docs/adr/0021-tags.md): an inline atom holding
 * the tag's stored name, as the `tag` node of the comment subset
 * (lib/shared/comments/comment-body.ts). The list that offers the seminar's
 * tags is app/reading/tag-picker.tsx; a `#word` typed to its end (a space or
 * punctuation after it) becomes a tag here, and any left as text when the
 * comment is sent becomes one in the composer (lib/shared/comments/hash-tags.ts).
 */
import { InputRule, type Editor } from "@tiptap/core";
import { normalizeTag, TAG_LIMITS } from "@/lib/shared/comments/tags";
import { createInlineAtom, findInlineQuery, type InlineQuery } from "./inline-atom";

/** The characters a tag may hold, as a class body for regular expressions. */
const TAG_CHARACTER = "[\\p{L}\\p{M}\\p{N}_-]";

/** The tag node. */
export const CommentTag = createInlineAtom<{ name: string }>({
  name: "tag",
  dataAttributes: { name: "data-tag" },
  className: "tag",
  textOf: ({ name }) => `#${name}`,
}).extend({
  addInputRules() {
    return [
      new InputRule({
        // "#word" after the start or a space, ended by a space or punctuation typed now.
        find: new RegExp(`(?:^|\\s)(#(${TAG_CHARACTER}+))([\\s.,;:!?)\\]])$`, "u"),
        handler: ({ state, range, match }) => {
          const name = normalizeTag(match[2]);
          const typed = match[3];
          if (!name || typed === undefined) return null;
          const start = range.to - (match[1] ?? "").length;
          state.tr.replaceWith(start, range.to, this.type.create({ name }));
          state.tr.insertText(typed, start + 1);
        },
      }),
    ];
  },
});

/** A `#` at the start of the paragraph or after a space, then the tag's characters so far. */
const TAG_QUERY = new RegExp(`(?:^|\\s)#(${TAG_CHARACTER}*)$`, "u");

/** The `#tag` being typed at the cursor, if any: a `#` at the start of the paragraph or after a space. */
export function findTagQuery(editor: Editor): InlineQuery | null {
  return findInlineQuery(editor, TAG_QUERY, TAG_LIMITS.maxLength);
}
