/**
 * What @mentions (mention.ts) and #tags (tag.ts) share in the comment editor: an
 * inline atom shown as a trigger character and a word, kept in HTML as a span with
 * data attributes, and the word being typed after the trigger at the caret, which
 * the composer's pickers (app/reading/inline-picker.tsx) follow.
 */
import { Node, mergeAttributes, type Editor } from "@tiptap/core";

/** What is typed after a trigger character (`@`, `#`) right before the caret. */
export type InlineQuery = {
  /** Where the trigger character is. */
  from: number;
  /** The caret. */
  to: number;
  /** The characters typed after it (may be empty). */
  query: string;
};

/**
 * An inline atom of the comment subset: selected and deleted whole, never edited
 * letter by letter. Its attributes are strings, each kept in a data attribute of
 * its span; the first of them marks the span as this node when HTML is pasted.
 */
export function createInlineAtom<Attrs extends Record<string, string>>(config: {
  /** The node's type, as in the comment subset ("mention", "tag"). */
  name: string;
  /** Each attribute and the data attribute that holds it ("data-tag"). */
  dataAttributes: { [Key in keyof Attrs]: string };
  /** The span's class, for the comment styles. */
  className: string;
  /** What the node shows, which is also its plain text ("@Ana Ruiz", "#exile"). */
  textOf: (attrs: Attrs) => string;
}) {
  const entries = Object.entries(config.dataAttributes);
  return Node.create({
    name: config.name,
    group: "inline",
    inline: true,
    atom: true,
    selectable: false,
    addAttributes() {
      return Object.fromEntries(
        entries.map(([attribute, dataAttribute]) => [
          attribute,
          { default: null, parseHTML: (element: HTMLElement) => element.getAttribute(dataAttribute) },
        ]),
      );
    },
    parseHTML() {
      return [{ tag: `span[${entries[0]?.[1] ?? ""}]` }];
    },
    renderHTML({ node, HTMLAttributes }) {
      const attrs = node.attrs as Attrs;
      // Written as data attributes only: the plain ones Tiptap adds for each attribute are dropped.
      const written = entries.flatMap(([attribute, dataAttribute]): [string, unknown][] => [
        [dataAttribute, attrs[attribute]],
        [attribute, null],
      ]);
      return [
        "span",
        mergeAttributes(HTMLAttributes, { class: config.className, ...Object.fromEntries(written) }),
        config.textOf(attrs),
      ];
    },
    renderText({ node }) {
      return config.textOf(node.attrs as Attrs);
    },
  });
}

/**
 * The word being typed after a trigger at the caret, if any. `pattern` is tried on the
 * caret's paragraph up to the caret (other inline nodes read as U+FFFC) and must end
 * there; its first group is what follows the one-character trigger. A query longer
 * than `maxLength` is not one.
 */
export function findInlineQuery(editor: Editor, pattern: RegExp, maxLength: number): InlineQuery | null {
  const { selection } = editor.state;
  if (!selection.empty) return null;
  const { $from } = selection;
  if (!$from.parent.isTextblock) return null;
  const before = $from.parent.textBetween(0, $from.parentOffset, undefined, "\ufffc");
  const match = pattern.exec(before);
  if (!match) return null;
  const query = match[1] ?? "";
  if (query.length > maxLength) return null;
  return { from: $from.pos - query.length - 1, to: $from.pos, query };
}
