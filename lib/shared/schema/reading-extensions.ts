/**
 * The reading schema: the one set of Tiptap extensions that the importer, the
 * server-side renderer and the live editor all use, so a document means the
 * same thing everywhere (docs/architecture.md §2: the text room is seeded from JSON in
 * this schema, and anchors refer to its Yjs items).
 */
import { Node, mergeAttributes, type Extensions } from "@tiptap/core";
import Blockquote from "@tiptap/extension-blockquote";
import Bold from "@tiptap/extension-bold";
import Document from "@tiptap/extension-document";
import Italic from "@tiptap/extension-italic";
import Paragraph from "@tiptap/extension-paragraph";
import Text from "@tiptap/extension-text";

/** The essay's heading. */
export const Title = Node.create({
  name: "title",
  content: "text*",
  marks: "italic",
  defining: true,
  parseHTML: () => [{ tag: "h1" }],
  renderHTML: ({ HTMLAttributes }) => ["h1", mergeAttributes(HTMLAttributes, { class: "doc-title" }), 0],
});

/** The author line under the title. */
export const Byline = Node.create({
  name: "byline",
  content: "text*",
  marks: "",
  defining: true,
  parseHTML: () => [{ tag: "p.doc-byline" }],
  renderHTML: ({ HTMLAttributes }) => ["p", mergeAttributes(HTMLAttributes, { class: "doc-byline" }), 0],
});

/**
 * Where the text was published. The text is the source line exactly as in the
 * file; the parsed parts ride along as attributes for exports and citations.
 */
export const Source = Node.create({
  name: "source",
  content: "text*",
  marks: "italic",
  defining: true,
  addAttributes: () => ({
    publication: { default: null, rendered: false },
    issue: { default: null, rendered: false },
    date: { default: null, rendered: false },
  }),
  parseHTML: () => [{ tag: "p.doc-source" }],
  renderHTML: ({ HTMLAttributes }) => ["p", mergeAttributes(HTMLAttributes, { class: "doc-source" }), 0],
});

/**
 * A footnote reference: an atom, so it adds no characters to the text that
 * readers quote (see docs/adr/0003). It links to its note, and the note links back.
 */
export const FootnoteReference = Node.create({
  name: "footnoteReference",
  group: "inline",
  inline: true,
  atom: true,
  selectable: false,
  addAttributes: () => ({
    number: {
      default: 1,
      parseHTML: (element) => Number(element.getAttribute("data-note")),
      renderHTML: () => ({}),
    },
  }),
  parseHTML: () => [{ tag: "sup.fn-ref" }],
  renderHTML: ({ node }) => {
    const n = String(node.attrs.number);
    return [
      "sup",
      { class: "fn-ref", id: footnoteReferenceId(Number(n)), "data-note": n },
      ["a", { href: `#${footnoteId(Number(n))}`, role: "doc-noteref", "aria-label": `Note ${n}` }, n],
    ];
  },
  renderText: () => "",
});

/** The notes at the end of the text, as an ordered list. */
export const Footnotes = Node.create({
  name: "footnotes",
  content: "footnote+",
  defining: true,
  isolating: true,
  parseHTML: () => [{ tag: "section.footnotes" }],
  renderHTML: ({ HTMLAttributes }) => [
    "section",
    mergeAttributes(HTMLAttributes, {
      class: "footnotes",
      role: "doc-endnotes",
      "aria-labelledby": "notes-heading",
    }),
    ["h2", { id: "notes-heading", class: "footnotes-heading" }, "Notes"],
    ["ol", { class: "footnotes-list" }, 0],
  ],
});

/**
 * One note. `hasReference` is false for a note nothing in the text points to
 * (the essay's note 8); it then has no "back to text" link.
 */
export const Footnote = Node.create({
  name: "footnote",
  content: "paragraph",
  defining: true,
  isolating: true,
  addAttributes: () => ({
    number: {
      default: 1,
      parseHTML: (element) => Number(element.getAttribute("value")),
      renderHTML: () => ({}),
    },
    hasReference: {
      default: true,
      parseHTML: (element) => element.getAttribute("data-has-reference") !== "false",
      renderHTML: () => ({}),
    },
  }),
  parseHTML: () => [{ tag: "li.footnote" }],
  renderHTML: ({ node }) => {
    const n = Number(node.attrs.number);
    const attrs = {
      class: "footnote",
      id: footnoteId(n),
      value: String(n),
      "data-has-reference": String(Boolean(node.attrs.hasReference)),
    };
    if (!node.attrs.hasReference) return ["li", attrs, ["div", { class: "footnote-body" }, 0]];
    return [
      "li",
      attrs,
      ["div", { class: "footnote-body" }, 0],
      [
        "a",
        {
          class: "footnote-back",
          href: `#${footnoteReferenceId(n)}`,
          role: "doc-backlink",
          "aria-label": `Back to text: reference ${n}`,
          contenteditable: "false",
        },
        "back to text",
      ],
    ];
  },
});

/** The top node: title, byline, source line, the text, then the notes. */
export const ReadingDocument = Document.extend({
  content: "title byline? source? (paragraph | blockquote)+ footnotes?",
});

/** The element id of the note numbered `n`. */
export function footnoteId(n: number): string {
  return `note-${n}`;
}

/** The element id of the reference to note `n`. */
export function footnoteReferenceId(n: number): string {
  return `ref-${n}`;
}

/** Every extension of the reading schema, in one list. */
export function readingExtensions(): Extensions {
  return [
    ReadingDocument,
    Text,
    Paragraph,
    Blockquote,
    Italic,
    Bold,
    Title,
    Byline,
    Source,
    FootnoteReference,
    Footnotes,
    Footnote,
  ];
}
