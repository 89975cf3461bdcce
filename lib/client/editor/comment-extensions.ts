/**
 * The comment editor's schema: the comment subset of lib/shared/comments,
 * as Tiptap extensions. The composer edits with these and the tests check
 * bodies against them, so what the editor writes and what the API accepts
 * are one list.
 */
import Blockquote from "@tiptap/extension-blockquote";
import Bold from "@tiptap/extension-bold";
import BulletList from "@tiptap/extension-bullet-list";
import Document from "@tiptap/extension-document";
import HardBreak from "@tiptap/extension-hard-break";
import Italic from "@tiptap/extension-italic";
import Link from "@tiptap/extension-link";
import ListItem from "@tiptap/extension-list-item";
import OrderedList from "@tiptap/extension-ordered-list";
import Paragraph from "@tiptap/extension-paragraph";
import Text from "@tiptap/extension-text";
import { normalizeLinkInput } from "@/lib/shared/comments/comment-body";
import { CommentMention } from "./mention";
import { CommentTag } from "./tag";

/** http:, https: and mailto: only, bare host names and addresses included (see normalizeLinkInput). */
function isAllowedUri(url: unknown): boolean {
  return typeof url === "string" && normalizeLinkInput(url) !== null;
}

/**
 * Links restricted to the comment subset. The Link extension's default check
 * allows ftp:, tel:, relative URLs and more; ours is the sanitizer's, so
 * whatever the editor links, the API accepts.
 */
export const CommentLink = Link.extend({
  addAttributes() {
    return {
      ...this.parent?.(),
      // A pasted <a href="example.org"> is kept as https://example.org, not as a relative link.
      href: {
        default: null,
        parseHTML: (element: HTMLElement) => normalizeLinkInput(element.getAttribute("href") ?? ""),
      },
    };
  },
}).configure({
  openOnClick: false,
  autolink: true,
  linkOnPaste: true,
  defaultProtocol: "https",
  // No extra schemes for linkify; the restriction itself is isAllowedUri.
  protocols: [],
  isAllowedUri: (url) => isAllowedUri(url),
  HTMLAttributes: { target: "_blank", rel: "noopener noreferrer", class: null },
});

/** The comment subset's schema, as the composer edits it (sanitizeCommentBody accepts the same). */
export const COMMENT_EXTENSIONS = [
  Document,
  Text,
  Paragraph,
  CommentLink,
  Bold,
  Italic,
  Blockquote,
  BulletList,
  OrderedList,
  ListItem,
  HardBreak,
  CommentMention,
  CommentTag,
];
