/**
 * A paragraph of a comment body cut into runs by link, so that every
 * renderer (the reading page, the HTML and Markdown exports) writes one
 * anchor for consecutive text under the same link, however many runs of
 * emphasis it holds.
 */
import type { CommentInline, CommentText } from "./comment-body";

/** Consecutive inline nodes under one link, or under none. */
export type LinkRun = {
  /** The link's address (already checked by the sanitizer or `readCommentBody`), or null. */
  href: string | null;
  /** The nodes, in order. */
  nodes: CommentInline[];
  /** The index of the first node in the paragraph (a stable key). */
  start: number;
};

/** The link a text run carries, or null. */
export function linkOf(node: CommentInline): string | null {
  if (node.type !== "text") return null;
  const link = node.marks?.find((mark) => mark.type === "link");
  return link?.type === "link" ? link.attrs.href : null;
}

/** True when a text run carries the mark. */
export function hasMark(node: CommentText, type: "bold" | "italic"): boolean {
  return node.marks?.some((mark) => mark.type === type) ?? false;
}

/** A paragraph's content as runs: each link's text joined, everything else one node a run. */
export function linkRuns(content: readonly CommentInline[]): LinkRun[] {
  const runs: LinkRun[] = [];
  content.forEach((node, index) => {
    const href = linkOf(node);
    const last = runs.at(-1);
    if (href !== null && last?.href === href) last.nodes.push(node);
    else runs.push({ href, nodes: [node], start: index });
  });
  return runs;
}
