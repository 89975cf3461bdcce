/**
 * @mentions in the comment editor: an inline atom holding the person's id
 * and their name when it was written, as the `mention` node of the comment
 * subset (lib/shared/comments/comment-body.ts). The picker that inserts it is
 * app/reading/mention-picker.tsx.
 */
import type { Editor } from "@tiptap/core";
import { createInlineAtom, findInlineQuery, type InlineQuery } from "./inline-atom";

/** The mention node. */
export const CommentMention = createInlineAtom<{ id: string; label: string }>({
  name: "mention",
  dataAttributes: { id: "data-mention-id", label: "data-mention-label" },
  className: "mention",
  textOf: ({ label }) => `@${label}`,
});

/** An `@` at the start of the paragraph or after a space, then up to two words of a name. */
const MENTION_QUERY = /(?:^|\s)@([\p{L}\p{N}'.-]+(?: [\p{L}\p{N}'.-]*)?)?$/u;

/**
 * The `@name` being typed at the cursor, if any: an `@` at the start of the
 * paragraph or after a space, then up to 40 characters of a name.
 */
export function findMentionQuery(editor: Editor): InlineQuery | null {
  return findInlineQuery(editor, MENTION_QUERY, 40);
}
