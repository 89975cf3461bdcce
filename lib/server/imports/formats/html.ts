/**
 * HTML through rehype-parse and hast-util-sanitize, then into the reading
 * schema. Also the second half of the DOCX (mammoth writes HTML) and EPUB
 * (chapters are XHTML) converters.
 *
 * - Scripts, styles, event handlers, forms and frames are removed by the
 *   sanitizer; links other than http/https/mailto lose their link; images are
 *   kept only from bytes the file itself carries (never fetched).
 * - A footnote is a link to an element of the same file that is a note:
 *   `role="doc-noteref"`, `epub:type="noteref"`, a link inside `<sup>`, or
 *   pandoc's and mammoth's footnote classes and ids. The note's text leaves the
 *   body and becomes the reading's linked note.
 * - A paragraph with `<br>` is verse, one line per break.
 */
import type { JSONContent } from "@tiptap/core";
import type { Element, ElementContent, Root, RootContent } from "hast";
import { defaultSchema, sanitize, type Schema } from "hast-util-sanitize";
import rehypeParse from "rehype-parse";
import { unified } from "unified";
import { SAFE_LINK } from "@/lib/shared/schema/reading-extensions";
import { newDraft, textNode, type ReadingDraft } from "../reading-draft";
import { paragraphOrVerse } from "./markdown";

const SANITIZE_SCHEMA: Schema = {
  ...defaultSchema,
  clobberPrefix: "",
  clobber: [],
  tagNames: [
    ...(defaultSchema.tagNames ?? []),
    "aside",
    "article",
    "figure",
    "figcaption",
    "header",
    "footer",
    "main",
    "nav",
    "u",
    "title",
    "body",
    "html",
    "head",
  ],
  attributes: {
    ...defaultSchema.attributes,
    "*": [
      ...(defaultSchema.attributes?.["*"] ?? []),
      "id",
      "role",
      "className",
      "epub:type",
      "epubType",
      "dataPage",
    ],
    img: ["src", "alt", "title"],
    a: ["href", "id", "role", "className", "epub:type", "epubType"],
  },
  protocols: { ...defaultSchema.protocols, href: ["http", "https", "mailto"], src: ["data"] },
  strip: ["script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math"],
  required: {},
};

/** What the HTML walker needs from its container format. */
export type HtmlContext = {
  /** Bytes for an image `src` the file carries (a data: URI, an EPUB entry); null when it has none. */
  resolveImage?: (src: string, alt: string) => { key: string } | null;
  /** The draft to add to (EPUB: one draft over all chapters). */
  draft?: ReadingDraft;
  /** Prefix for note ids, so two chapters' `#fn1` do not collide. */
  idPrefix?: string;
  /** Whether the first `<h1>` (or `<title>`) is the reading's title. */
  takeTitle?: boolean;
  /** EPUB page-list: element ids where a page of the print edition begins, with its label. */
  pageBreaks?: Map<string, string>;
};

/** Parses HTML text to a sanitized hast tree. */
export function parseHtml(html: string): Root {
  const tree = unified().use(rehypeParse).parse(html);
  return sanitize(tree, SANITIZE_SCHEMA) as Root;
}

/** Converts an HTML file. */
export function convertHtml(html: string, context: HtmlContext = {}): ReadingDraft {
  return convertHtmlTree(parseHtml(html), { takeTitle: true, ...context });
}

/** data: URIs are the only images a lone HTML file carries. */
function dataUriImages(context: HtmlContext): HtmlContext["resolveImage"] {
  return (src, alt) => {
    const match = /^data:(image\/(?:png|jpeg|gif|webp));base64,([A-Za-z0-9+/=\s]+)$/i.exec(src);
    const draft = context.draft;
    if (!match || !draft) return null;
    return addImage(draft, match[1] as string, Buffer.from(match[2] as string, "base64"), alt);
  };
}

/** Keeps an image's bytes (once per content) and returns its key. */
export function addImage(
  draft: ReadingDraft,
  mediaType: string,
  bytes: Uint8Array,
  alt: string,
): { key: string } | null {
  if (bytes.length === 0 || bytes.length > 5 * 1024 * 1024) return null;
  const hash = createHashHex(bytes);
  const extension = mediaType.split("/")[1]?.replace("jpeg", "jpg") ?? "bin";
  const key = `${hash.slice(0, 32)}.${extension}`;
  if (!draft.images.some((image) => image.key === key)) draft.images.push({ key, mediaType, bytes, alt });
  return { key };
}

import { createHash } from "node:crypto";
function createHashHex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

const prop = (element: Element, name: string): string => {
  const value = element.properties?.[name];
  if (Array.isArray(value)) return value.join(" ");
  return value === undefined || value === null ? "" : String(value);
};
const classes = (element: Element) => prop(element, "className");
const epubType = (element: Element) => `${prop(element, "epub:type")} ${prop(element, "epubType")}`;

/** Converts a sanitized hast tree, adding to `context.draft` (or a new draft). */
export function convertHtmlTree(tree: Root, context: HtmlContext = {}): ReadingDraft {
  const draft = context.draft ?? newDraft();
  const ctx: HtmlContext = {
    ...context,
    draft,
    resolveImage: context.resolveImage ?? dataUriImages({ ...context, draft }),
  };
  const prefix = ctx.idPrefix ?? "";
  let skippedImages = 0;
  let imagesWithoutAlt = 0;

  // Index elements by id, then find the notes: the targets of note references.
  const byId = new Map<string, Element>();
  const walk = (node: Root | Element, visit: (element: Element, parent: Root | Element) => void) => {
    for (const child of node.children) {
      if (child.type !== "element") continue;
      visit(child, node);
      walk(child, visit);
    }
  };
  const parents = new Map<Element, Root | Element>();
  walk(tree, (element, parent) => {
    parents.set(element, parent);
    const id = prop(element, "id");
    if (id && !byId.has(id)) byId.set(id, element);
  });
  const noteElements = new Set<Element>();
  const references = new Set<Element>();
  walk(tree, (element) => {
    if (element.tagName !== "a") return;
    const href = prop(element, "href");
    if (!href.startsWith("#")) return;
    const target = byId.get(decodeURIComponent(href.slice(1)));
    if (!target || !isNoteReference(element, parents.get(element))) return;
    let note = target;
    // pandoc and mammoth put the id on the <li>; some put it on an anchor inside the note.
    if (note.tagName === "a" || note.tagName === "span") {
      const parent = parents.get(note);
      if (parent && parent.type === "element") note = parent;
    }
    references.add(element);
    noteElements.add(note);
  });
  for (const note of noteElements) {
    const id =
      prefix + (prop(note, "id") || [...byId.entries()].find(([, e]) => parents.get(e) === note)?.[0] || "");
    if (!draft.notes.has(id)) draft.notes.set(id, inline(note.children, [], true));
  }

  // Title blocks (pandoc's header, an EPUB title page, DOCX Title/Author/Date
  // paragraphs): their parts become the metadata, not text.
  const skipped = new Set<Element>();
  walk(tree, (element) => {
    const titleBlock = prop(element, "id") === "title-block-header" || /titlepage/.test(epubType(element));
    if (titleBlock) skipped.add(element);
    const cls = ` ${classes(element)} `;
    const text = () => plainText(element).trim();
    if (element.tagName === "h1" && cls.includes(" title ")) {
      if (!draft.title) draft.title = text();
      skipped.add(element);
    } else if (/^(p|div)$/.test(element.tagName) && / (author|date|subtitle) /.test(cls)) {
      if (cls.includes(" author "))
        draft.byline = !draft.byline
          ? text()
          : draft.byline.includes(text())
            ? draft.byline
            : `${draft.byline}, ${text()}`;
      else if (cls.includes(" date ")) draft.date ??= text();
      else if (!draft.source) draft.source = text();
      skipped.add(element);
    }
  });

  // The title: the first <h1> (or the <title> when there is no <h1>).
  let titleElement: Element | null = null;
  if (ctx.takeTitle && !draft.title) {
    walk(tree, (element) => {
      if (!titleElement && element.tagName === "h1" && !skipped.has(element)) titleElement = element;
    });
    if (titleElement) draft.title = plainText(titleElement).trim();
    else
      walk(tree, (element) => {
        if (!draft.title && element.tagName === "title") draft.title = plainText(element).trim();
      });
  }
  const headingLevels: number[] = [];
  walk(tree, (element) => {
    const m = /^h([1-6])$/.exec(element.tagName);
    if (m && element !== titleElement && !skipped.has(element)) headingLevels.push(Number(m[1]));
  });
  const minLevel = headingLevels.length > 0 ? Math.min(...headingLevels) : 2;

  function isBacklink(element: Element): boolean {
    if (element.tagName !== "a") return false;
    const href = prop(element, "href");
    return (
      prop(element, "role") === "doc-backlink" ||
      /footnote-back|footnote-backref/.test(classes(element)) ||
      (href.startsWith("#") && references.has(byId.get(href.slice(1)) as Element)) ||
      (href.startsWith("#") && /^[\s↩↑^]*$/.test(plainText(element)))
    );
  }

  function pageMarker(element: Element): JSONContent[] {
    const id = prop(element, "id");
    const label = id ? ctx.pageBreaks?.get(id) : undefined;
    if (label === undefined && !/pagebreak/.test(epubType(element))) return [];
    draft.pages++;
    return [
      {
        type: "pageMarker",
        attrs: { label: label ?? (prop(element, "title") || plainText(element).trim()) },
      },
    ];
  }

  function inline(
    nodes: ElementContent[] | RootContent[],
    marks: JSONContent["marks"] = [],
    inNote = false,
  ): JSONContent[] {
    return nodes.flatMap((node): JSONContent[] => {
      if (node.type === "text") return textNode(node.value, marks);
      if (node.type !== "element") return [];
      const el = node;
      const marker = pageMarker(el);
      if (marker.length > 0) return marker;
      if (references.has(el)) return [{ type: "footnoteReference", attrs: { ref: prefix + noteIdOf(el) } }];
      if (inNote && isBacklink(el)) return [];
      if (noteElements.has(el) && !inNote) return [];
      switch (el.tagName) {
        case "br":
          return [{ type: "hardBreak" }];
        case "em":
        case "i":
        case "cite":
          return inline(el.children, [...(marks ?? []), { type: "italic" }], inNote);
        case "strong":
        case "b":
          return inline(el.children, [...(marks ?? []), { type: "bold" }], inNote);
        case "a": {
          const href = prop(el, "href");
          const link = SAFE_LINK.test(href) ? [{ type: "link", attrs: { href } }] : [];
          return inline(el.children, [...(marks ?? []), ...link], inNote);
        }
        case "sup": {
          const inner = inline(el.children, marks, inNote);
          return inner;
        }
        case "img":
          return [];
        default:
          return inline(el.children, marks, inNote);
      }
    });
  }

  function noteIdOf(reference: Element): string {
    const target = byId.get(decodeURIComponent(prop(reference, "href").slice(1))) as Element;
    if (noteElements.has(target)) return prop(target, "id");
    const parent = parents.get(target);
    return parent && parent.type === "element" && noteElements.has(parent)
      ? prop(parent, "id") || prop(target, "id")
      : prop(target, "id");
  }

  function figure(el: Element, caption = ""): JSONContent[] {
    const src = prop(el, "src");
    const alt = prop(el, "alt");
    const image = src ? ctx.resolveImage?.(src, alt) : null;
    if (!image) {
      skippedImages++;
      return [];
    }
    if (!alt.trim()) imagesWithoutAlt++;
    return [{ type: "figure", attrs: { key: image.key, alt, caption } }];
  }

  const BLOCK_TAGS = new Set([
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "ul",
    "ol",
    "table",
    "figure",
    "pre",
    "div",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "main",
    "nav",
    "body",
    "html",
    "dl",
    "dd",
    "dt",
    "hr",
    "li",
    "img",
  ]);
  const isBlock = (node: ElementContent | RootContent) =>
    node.type === "element" && BLOCK_TAGS.has(node.tagName);

  function blocks(nodes: ElementContent[] | RootContent[]): JSONContent[] {
    const out: JSONContent[] = [];
    let loose: (ElementContent | RootContent)[] = [];
    const flush = () => {
      if (loose.length > 0) out.push(...paragraphOrVerse(inline(loose)));
      loose = [];
    };
    for (const node of nodes) {
      if (!isBlock(node)) {
        loose.push(node);
        continue;
      }
      flush();
      out.push(...block(node as Element));
    }
    flush();
    return out;
  }

  function block(el: Element): JSONContent[] {
    if (noteElements.has(el) || el === titleElement || skipped.has(el)) return [];
    const marker = pageMarker(el);
    if (marker.length > 0) return [{ type: "paragraph", content: marker }];
    if (el.tagName === "nav" || el.tagName === "head") return [];
    const heading = /^h([1-6])$/.exec(el.tagName);
    if (heading) {
      return [
        {
          type: "heading",
          attrs: { level: Math.min(4, Math.max(2, Number(heading[1]) - minLevel + 2)) },
          content: inline(el.children).filter((n) => n.type !== "hardBreak"),
        },
      ];
    }
    switch (el.tagName) {
      case "p":
      case "dt":
      case "dd":
        return paragraphOrVerse(inline(el.children)).concat(imagesIn(el));
      case "pre":
        return [
          {
            type: "verse",
            content: plainText(el)
              .split("\n")
              .map((line) => ({ type: "verseLine", content: textNode(line) })),
          },
        ];
      case "blockquote":
        return [{ type: "blockquote", content: blocks(el.children) }];
      case "ul":
      case "ol":
        return [
          {
            type: el.tagName === "ol" ? "orderedList" : "bulletList",
            content: el.children
              .filter(
                (child): child is Element =>
                  child.type === "element" && child.tagName === "li" && !noteElements.has(child),
              )
              .map((li) => ({ type: "listItem", content: blocks(li.children) })),
          },
        ];
      case "table":
        return [table(el)];
      case "figure": {
        const caption = findFirst(el, "figcaption");
        const img = findFirst(el, "img");
        if (img) return figure(img, caption ? plainText(caption).trim() : "");
        return blocks(el.children);
      }
      case "img":
        return figure(el);
      case "hr":
        return [];
      default:
        return blocks(el.children);
    }
  }

  function imagesIn(el: Element): JSONContent[] {
    const out: JSONContent[] = [];
    const visit = (node: Element) => {
      for (const child of node.children) {
        if (child.type !== "element") continue;
        if (child.tagName === "img") out.push(...figure(child));
        else visit(child);
      }
    };
    visit(el);
    return out;
  }

  function table(el: Element): JSONContent {
    const rows: JSONContent[] = [];
    const visit = (node: Element) => {
      for (const child of node.children) {
        if (child.type !== "element") continue;
        if (child.tagName === "tr") {
          rows.push({
            type: "tableRow",
            content: child.children
              .filter(
                (cell): cell is Element =>
                  cell.type === "element" && (cell.tagName === "td" || cell.tagName === "th"),
              )
              .map((cell) => ({
                type: "tableCell",
                attrs: { header: cell.tagName === "th" },
                content: blocks(cell.children).flatMap(flattenToParagraphs),
              })),
          });
        } else if (child.tagName !== "table") visit(child);
      }
    };
    visit(el);
    return { type: "table", content: rows };
  }

  const body = findFirst(tree, "body");
  draft.blocks.push(...blocks(body ? body.children : tree.children));
  if (skippedImages > 0) {
    draft.warnings.push({
      code: "images-skipped",
      message: `${skippedImages} image${skippedImages === 1 ? " was" : "s were"} left out: only images inside the file are kept, and linked images are never fetched.`,
    });
  }
  if (imagesWithoutAlt > 0) {
    draft.warnings.push({
      code: "images-without-alt",
      message: `${imagesWithoutAlt} image${imagesWithoutAlt === 1 ? " has" : "s have"} no alt text; add a description so every reader can follow.`,
    });
  }
  return draft;
}

/** Table cells hold paragraphs only: other blocks become their paragraphs. */
function flattenToParagraphs(block: JSONContent): JSONContent[] {
  if (block.type === "paragraph") return [block];
  if (block.type === "heading") return [{ type: "paragraph", content: block.content }];
  if (block.type === "verse")
    return (block.content ?? []).map((line) => ({ type: "paragraph", content: line.content }));
  return (block.content ?? []).flatMap(flattenToParagraphs);
}

function isNoteReference(a: Element, parent: Root | Element | undefined): boolean {
  return (
    prop(a, "role") === "doc-noteref" ||
    /noteref/.test(epubType(a)) ||
    /footnote-ref|footnote_ref|noteref/.test(classes(a)) ||
    /^(?:footnote|endnote)-ref/.test(prop(a, "id")) ||
    (parent?.type === "element" && parent.tagName === "sup" && /^\s*\[?\d{1,4}\]?\s*$/.test(plainText(a)))
  );
}

function findFirst(node: Root | Element, tagName: string): Element | null {
  for (const child of node.children) {
    if (child.type !== "element") continue;
    if (child.tagName === tagName) return child;
    const found = findFirst(child, tagName);
    if (found) return found;
  }
  return null;
}

/** The text of an element, without markup. */
export function plainText(node: Root | Element | ElementContent): string {
  if (node.type === "text") return node.value;
  if (node.type === "element" || node.type === "root")
    return node.children.map((child) => plainText(child as ElementContent)).join("");
  return "";
}
