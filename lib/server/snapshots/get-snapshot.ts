import type { JSONContent } from "@tiptap/core";
import * as Y from "yjs";
import { passageWords } from "@/lib/shared/annotations/passage-words";
import { readCategories } from "@/lib/shared/annotations/threads";
import { AppError } from "@/lib/shared/errors";
import type { SnapshotSummary, SnapshotThread } from "@/lib/shared/review/snapshots";
import { db } from "../db";
import { commentPolicy, seminarPolicy, type Actor } from "../policies";
import { withHiddenWords } from "../annotations/hidden-words";
import { requireSeminar } from "../policies/require";
import { loadCurrentText } from "../review/load-current-text";
import { parseSnapshotThreads } from "./snapshot-threads";
import { getPostFirstGate } from "../post-first/get-post-first-gate";
import { filterBeforePosting } from "@/lib/shared/post-first/post-first";

/** A snapshot as its read-only view shows it. */
export type SnapshotView = {
  snapshot: Omit<SnapshotSummary, "threadCount">;
  seminar: { id: string; title: string };
  document: { id: string; title: string; byline: string; source: string };
  /** The current text (anchors are placed in it, as the live margin places them). */
  content: JSONContent;
  /** The snapshot's threads in reading order, detached ones last. */
  threads: SnapshotThread[];
};

/**
 * One snapshot of a reading's discussion, for its read-only "as of" view
 * (any member). It holds the seminar's shared threads only: nobody's
 * private notes are ever part of a snapshot.
 */
export async function getSnapshot(
  actor: Actor,
  seminarId: string,
  documentId: string,
  snapshotId: string,
): Promise<SnapshotView> {
  const access = await requireSeminar(
    actor,
    seminarId,
    seminarPolicy.review,
    "You may not see this reading's snapshots.",
  );
  const row = await db.discussionSnapshot.findFirst({
    where: { id: snapshotId, seminarId, documentId },
    select: {
      id: true,
      name: true,
      createdAt: true,
      automatic: true,
      state: true,
      threads: true,
      author: { select: { id: true, name: true } },
      seminar: { select: { id: true, title: true } },
      document: { select: { id: true, title: true, byline: true, source: true } },
    },
  });
  if (!row) throw new AppError("not_found", "There is no such snapshot of this reading.");

  // The categories as they were: from the snapshot's own room state.
  const seminarDoc = new Y.Doc();
  let categories;
  try {
    Y.applyUpdate(seminarDoc, row.state);
    categories = readCategories(seminarDoc);
  } finally {
    seminarDoc.destroy();
  }
  const categoryById = new Map(
    categories.map((category) => [
      category.id,
      { id: category.id, name: category.name, color: category.color },
    ]),
  );

  // Post first, then see (docs/adr/0019) holds for snapshots too.
  const viewerId = access.actor.userId;
  const all = parseSnapshotThreads(row.threads);
  const visible = (await getPostFirstGate(seminarId, documentId, viewerId)).isLocked
    ? filterBeforePosting(all, viewerId)
    : all;
  // Instructors read what they hid, as the live margin shows it to them (marked hidden).
  const threads = commentPolicy.readHidden(access) ? await withHiddenWords(visible) : visible;
  const { text, located } = await loadCurrentText(
    documentId,
    threads.map((thread) => ({ id: thread.id, anchor: thread.anchor })),
  );
  const placed: SnapshotThread[] = threads.map((thread) => {
    const place = located.get(thread.id) ?? null;
    const block = place?.blockIndex === null || !place ? null : text.blocks[place.blockIndex];
    return {
      ...thread,
      category: thread.categoryId ? (categoryById.get(thread.categoryId) ?? null) : null,
      position: place ? { start: place.start, end: place.end } : null,
      blockLabel: block?.label ?? null,
      passage: passageWords(place?.words ?? null, thread.anchor.quote.exact),
    };
  });
  placed.sort((a, b) => {
    if (!a.position || !b.position)
      return a.position ? -1 : b.position ? 1 : a.createdAt.localeCompare(b.createdAt);
    return (
      a.position.start - b.position.start ||
      a.position.end - b.position.end ||
      a.createdAt.localeCompare(b.createdAt)
    );
  });

  return {
    snapshot: {
      id: row.id,
      name: row.name,
      createdAt: row.createdAt.toISOString(),
      automatic: row.automatic,
      author: row.author,
    },
    seminar: row.seminar,
    document: row.document,
    content: text.content,
    threads: placed,
  };
}
