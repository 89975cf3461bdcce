/**
 * The discussion of a reading laid over its current text: every shared
 * thread placed in the text, and per text block how many threads start in
 * it and how many comments those threads hold. Only the seminar's shared
 * threads count (private notes are their owner's alone), so any member may
 * see it; participation adds who wrote what (instructors only).
 */
import type { ParagraphActivity } from "@/lib/shared/review/review-types";
import { readAnchors } from "../annotations/read-anchors";
import { findActivityThreads, type ActivityThread } from "./activity-threads";
import { loadCurrentText, type CurrentText, type Located } from "./load-current-text";

/** A reading's shared threads, each placed in the current text. */
export type PlacedDiscussion = {
  text: CurrentText;
  rows: ActivityThread[];
  located: Map<string, Located | null>;
};

/**
 * Loads a reading's shared threads and places them in its current text (no
 * policy check: callers check). Anchors are read only for threads not placed
 * at this state of the text yet (loadCurrentText's cache).
 */
export async function loadPlacedDiscussion(seminarId: string, documentId: string): Promise<PlacedDiscussion> {
  const rows = await findActivityThreads(seminarId, documentId);
  const { text, located } = await loadCurrentText(documentId, [], {
    ids: rows.map((row) => row.id),
    read: (ids) => readAnchors(seminarId, documentId, ids),
  });
  return { text, rows, located };
}

/** Threads and comments per text block. */
export function countByParagraph({ text, rows, located }: PlacedDiscussion): ParagraphActivity[] {
  const paragraphs: ParagraphActivity[] = text.blocks.map((block) => ({
    index: block.index,
    kind: block.kind,
    label: block.label,
    segments: block.segments,
    threads: 0,
    comments: 0,
  }));
  for (const row of rows) {
    const index = located.get(row.id)?.blockIndex;
    const paragraph = index === null || index === undefined ? undefined : paragraphs[index];
    if (!paragraph) continue;
    paragraph.threads += 1;
    paragraph.comments += row.comments.length;
  }
  return paragraphs;
}
