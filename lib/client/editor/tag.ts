/**
 * #tags in the comment editor (docs/adr/0021-tags.md): an inline atom holding
 * the tag's stored name, as the `tag` node of the comment subset
 * (lib/shared/comments/comment-body.ts). The list that offers the seminar's
 * tags is app/reading/tag-picker.tsx; a `#word` typed to its end (a space or
 * punctuation after it) becomes a tag here, and any left as text when the
 * comment is sent becomes one in the composer (lib/shared/comments/hash-tags.ts).
 */
import { InputRule, Node, mergeAttributes, type Editor } from "@tiptap/core";
import { normalizeTag, TAG_LIMITS } from "@/lib/shared/comments/tags";

/** The characters a tag may hold, as a class body for regular expressions. */
const TAG_CHARACTER = "[\\p{L}\\p{M}\\p{N}_-]";

/** The tag node. */
export const CommentTag = Node.create({
  name: "tag",
  group: "inline",
  inline: true,
  atom: true,
  selectable: false,
  addAttributes() {
    return {
      name: { default: null, parseHTML: (element) => element.getAttribute("data-tag") },
    };
  },
  parseHTML() {
    return [{ tag: "span[data-tag]" }];
  },
  renderHTML({ node, HTMLAttributes }) {
    const { name } = node.attrs as { name: string };
    return [
      "span",
      mergeAttributes(HTMLAttributes, { class: "tag", "data-tag": name, name: null }),
      `#${name}`,
    ];
  },
  renderText({ node }) {
    return `#${(node.attrs as { name: string }).name}`;
  },
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

/** What is typed after a `#` right before the cursor. */
export type TagQuery = {
  /** Where the `#` is. */
  from: number;
  /** The cursor. */
  to: number;
  /** The characters typed after it (may be empty). */
  query: string;
};

/** The `#tag` being typed at the cursor, if any: a `#` at the start of the paragraph or after a space. */
export function findTagQuery(editor: Editor): TagQuery | null {
  const { selection } = editor.state;
  if (!selection.empty) return null;
  const { $from } = selection;
  if (!$from.parent.isTextblock) return null;
  const before = $from.parent.textBetween(0, $from.parentOffset, undefined, "\ufffc");
  const match = new RegExp(`(?:^|\\s)#(${TAG_CHARACTER}*)$`, "u").exec(before);
  if (!match) return null;
  const query = match[1] ?? "";
  if (query.length > TAG_LIMITS.maxLength) return null;
  return { from: $from.pos - query.length - 1, to: $from.pos, query };
}
