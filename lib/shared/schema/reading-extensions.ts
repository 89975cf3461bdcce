/**
 * The reading schema: the one set of Tiptap extensions that the importer, the
 * server-side renderer and the live editor all use, so a document means the
 * same thing everywhere (docs/architecture.md §2: the text room is seeded from JSON in
 * this schema, and anchors refer to its Yjs items).
 */
import { Mark, Node, mergeAttributes, type Extensions } from "@tiptap/core";
import Blockquote from "@tiptap/extension-blockquote";
import Bold from "@tiptap/extension-bold";
import BulletList from "@tiptap/extension-bullet-list";
import Document from "@tiptap/extension-document";
import Italic from "@tiptap/extension-italic";
import ListItem from "@tiptap/extension-list-item";
import OrderedList from "@tiptap/extension-ordered-list";
import Paragraph from "@tiptap/extension-paragraph";
import Text from "@tiptap/extension-text";
import { headingAnchorId } from "../documents/table-of-contents";

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

/**
 * A section heading inside the text (levels 2–4; the title is level 1). A
 * textblock, so its words are part of the plain text like a paragraph's.
 */
export const Heading = Node.create({
  name: "heading",
  group: "block",
  content: "inline*",
  defining: true,
  addAttributes: () => ({
    level: {
      default: 2,
      parseHTML: (element) => clampHeadingLevel(Number(element.tagName.slice(1))),
      renderHTML: () => ({}),
    },
  }),
  parseHTML: () => [{ tag: "h2" }, { tag: "h3" }, { tag: "h4" }],
  // The id is what the table of contents links to (lib/shared/documents/table-of-contents.ts).
  renderHTML: ({ node, HTMLAttributes }) => [
    `h${clampHeadingLevel(Number(node.attrs.level))}`,
    mergeAttributes(HTMLAttributes, { class: "doc-heading", id: headingAnchorId(node.textContent) }),
    0,
  ],
});

/** Heading levels the text may use: 2, 3 or 4. */
export function clampHeadingLevel(level: number): 2 | 3 | 4 {
  if (!Number.isFinite(level) || level <= 2) return 2;
  return level >= 4 ? 4 : 3;
}

/**
 * A stanza or passage of verse: one line per textblock, so line breaks
 * survive in the plain text as "\n" and each line can be quoted.
 */
export const Verse = Node.create({
  name: "verse",
  group: "block",
  content: "verseLine+",
  defining: true,
  parseHTML: () => [{ tag: "div.verse" }],
  renderHTML: ({ HTMLAttributes }) => ["div", mergeAttributes(HTMLAttributes, { class: "verse" }), 0],
});

/**
 * One line of verse. `number` counts lines through the whole text (across
 * stanzas); every fifth line shows its number in the margin.
 */
export const VerseLine = Node.create({
  name: "verseLine",
  content: "inline*",
  defining: true,
  addAttributes: () => ({
    number: {
      default: 1,
      parseHTML: (element) => Number(element.getAttribute("data-line")) || 1,
      renderHTML: () => ({}),
    },
  }),
  parseHTML: () => [{ tag: "p.verse-line" }],
  renderHTML: ({ node, HTMLAttributes }) => {
    const n = Number(node.attrs.number);
    return [
      "p",
      mergeAttributes(HTMLAttributes, {
        class: "verse-line",
        "data-line": String(n),
        ...(n % 5 === 0 ? { "data-line-number": String(n) } : {}),
      }),
      0,
    ];
  },
});

/**
 * Where a page of the source begins (a PDF page, an EPUB page-list entry).
 * An inline atom like a footnote reference: it adds no characters to the
 * plain text, so quotes and offsets are not disturbed, but a passage can be
 * cited by the page it is on.
 */
export const PageMarker = Node.create({
  name: "pageMarker",
  group: "inline",
  inline: true,
  atom: true,
  selectable: false,
  addAttributes: () => ({
    label: {
      default: "",
      parseHTML: (element) => element.getAttribute("data-page") ?? "",
      renderHTML: () => ({}),
    },
  }),
  parseHTML: () => [{ tag: "span.page-marker" }],
  renderHTML: ({ node }) => {
    const label = String(node.attrs.label);
    return [
      "span",
      {
        class: "page-marker",
        "data-page": label,
        role: "note",
        "aria-label": `Page ${label} of the source`,
        contenteditable: "false",
      },
      label,
    ];
  },
  renderText: () => "",
});

/**
 * An image from the uploaded file, with its alt text and caption. The bytes
 * are stored with the document (DocumentImage) under `key`; the node holds
 * only the key, so the text's JSON stays small.
 */
export const Figure = Node.create({
  name: "figure",
  group: "block",
  atom: true,
  selectable: false,
  addAttributes: () => ({
    key: {
      default: "",
      parseHTML: (element) => element.getAttribute("data-image") ?? "",
      renderHTML: () => ({}),
    },
    alt: {
      default: "",
      parseHTML: (element) => element.querySelector("img")?.getAttribute("alt") ?? "",
      renderHTML: () => ({}),
    },
    caption: {
      default: "",
      parseHTML: (element) => element.querySelector("figcaption")?.textContent ?? "",
      renderHTML: () => ({}),
    },
  }),
  parseHTML: () => [{ tag: "figure.doc-figure" }],
  renderHTML: ({ node }) => {
    const key = String(node.attrs.key);
    const caption = String(node.attrs.caption);
    return [
      "figure",
      { class: "doc-figure", "data-image": key },
      ["img", { src: documentImageUrl(key), alt: String(node.attrs.alt), loading: "lazy" }],
      ...(caption ? [["figcaption", {}, caption] as const] : []),
    ];
  },
});

/** The URL an image of a document is served from (keys are content hashes). */
export function documentImageUrl(key: string): string {
  return `/api/document-images/${encodeURIComponent(key)}`;
}

/** A simple table: rows of cells, each cell one or more paragraphs. */
export const Table = Node.create({
  name: "table",
  group: "block",
  content: "tableRow+",
  isolating: true,
  parseHTML: () => [{ tag: "table" }],
  renderHTML: ({ HTMLAttributes }) => [
    "div",
    { class: "doc-table-wrap" },
    ["table", mergeAttributes(HTMLAttributes, { class: "doc-table" }), ["tbody", 0]],
  ],
});

/** A table row. */
export const TableRow = Node.create({
  name: "tableRow",
  content: "tableCell+",
  parseHTML: () => [{ tag: "tr" }],
  renderHTML: () => ["tr", 0],
});

/** A table cell; `header` cells render as `th`. */
export const TableCell = Node.create({
  name: "tableCell",
  content: "paragraph+",
  isolating: true,
  addAttributes: () => ({
    header: {
      default: false,
      parseHTML: (element) => element.tagName === "TH",
      renderHTML: () => ({}),
    },
  }),
  parseHTML: () => [{ tag: "td" }, { tag: "th" }],
  renderHTML: ({ node }) => [node.attrs.header ? "th" : "td", 0],
});

/** Link schemes a text may carry; anything else is dropped by the importer and here. */
export const SAFE_LINK = /^(?:https?:\/\/|mailto:)/i;

/** A link to the web or an e-mail address (http, https, mailto only). */
export const Link = Mark.create({
  name: "link",
  inclusive: false,
  addAttributes: () => ({ href: { default: null } }),
  parseHTML: () => [
    {
      tag: "a[href]",
      getAttrs: (element) => {
        const href = element.getAttribute("href") ?? "";
        return SAFE_LINK.test(href) ? { href } : false;
      },
    },
  ],
  renderHTML: ({ mark }) => {
    const href = String(mark.attrs.href ?? "");
    return [
      "a",
      { href: SAFE_LINK.test(href) ? href : null, rel: "noopener noreferrer nofollow", class: "doc-link" },
      0,
    ];
  },
});

/** The top node: title, byline, source line, the text, then the notes. */
export const ReadingDocument = Document.extend({
  content: "title byline? source? block+ footnotes?",
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
    Heading,
    Verse,
    VerseLine,
    BulletList,
    OrderedList,
    ListItem,
    Figure,
    Table,
    TableRow,
    TableCell,
    PageMarker,
    Italic,
    Bold,
    Link,
    Title,
    Byline,
    Source,
    FootnoteReference,
    Footnotes,
    Footnote,
  ];
}
