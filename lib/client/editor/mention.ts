/**
 * @mentions in the comment editor: an inline atom holding the person's id
 * and their name when it was written, as the `mention` node of the comment
 * subset (lib/shared/comments/comment-body.ts). The picker that inserts it is
 * app/reading/mention-picker.tsx.
 */
import { Node, mergeAttributes, type Editor } from "@tiptap/core";

/** The mention node. */
export const CommentMention = Node.create({
  name: "mention",
  group: "inline",
  inline: true,
  atom: true,
  selectable: false,
  addAttributes() {
    return {
      id: { default: null, parseHTML: (element) => element.getAttribute("data-mention-id") },
      label: { default: null, parseHTML: (element) => element.getAttribute("data-mention-label") },
    };
  },
  parseHTML() {
    return [{ tag: "span[data-mention-id]" }];
  },
  renderHTML({ node, HTMLAttributes }) {
    const { id, label } = node.attrs as { id: string; label: string };
    return [
      "span",
      mergeAttributes(HTMLAttributes, {
        class: "mention",
        "data-mention-id": id,
        "data-mention-label": label,
        id: null,
        label: null,
      }),
      `@${label}`,
    ];
  },
  renderText({ node }) {
    return `@${(node.attrs as { label: string }).label}`;
  },
});

/** What is typed after an `@` right before the cursor. */
export type MentionQuery = {
  /** Where the `@` is. */
  from: number;
  /** The cursor. */
  to: number;
  /** The letters typed after it (may be empty). */
  query: string;
};

/**
 * The `@name` being typed at the cursor, if any: an `@` at the start of the
 * paragraph or after a space, then up to 40 characters of a name.
 */
export function findMentionQuery(editor: Editor): MentionQuery | null {
  const { selection } = editor.state;
  if (!selection.empty) return null;
  const { $from } = selection;
  if (!$from.parent.isTextblock) return null;
  const before = $from.parent.textBetween(0, $from.parentOffset, undefined, "\ufffc");
  const match = /(?:^|\s)@([\p{L}\p{N}'.-]+(?: [\p{L}\p{N}'.-]*)?)?$/u.exec(before);
  if (!match) return null;
  const query = match[1] ?? "";
  if (query.length > 40) return null;
  return { from: $from.pos - query.length - 1, to: $from.pos, query };
}
