/**
 * A reading's current text (its text room, so an instructor's edits count)
 * and where anchors lie in it: the review, participation and snapshot views
 * place threads this way, as lib/server/exports/load-export-data.ts does.
 */
import { createHash } from "node:crypto";
import type { JSONContent } from "@tiptap/core";
import type { Node as PMNode } from "@tiptap/pm/model";
import * as Y from "yjs";
import { yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import { createAnchorResolver, type AnchorResolution, type StoredAnchor } from "@/lib/shared/anchors/anchor";
import { buildTextIndex, posToTextOffset, type TextIndex } from "@/lib/shared/anchors/text-index";
import { blockIndexAt, listTextBlocks, type TextBlock } from "@/lib/shared/review/text-blocks";
import { ROOT_TYPES, roomName } from "@/lib/shared/rooms";
import { getReadingSchema } from "@/lib/shared/schema/reading-schema";
import { loadRoomDoc } from "../realtime/load-room-doc";
import { seedTextRoom } from "../realtime/seed-text-room";

/** Where an anchor lies in the current text. */
export type Located = {
  /** Plain-text offsets. */
  start: number;
  end: number;
  /** The text block it starts in. */
  blockIndex: number | null;
  /** The passage's words as the text reads now (an instructor may have edited them since). */
  words: string;
};

/** The current text, read out of its room (plain data: nothing to destroy). */
export type CurrentText = {
  /** The text as ProseMirror JSON in the reading schema. */
  content: JSONContent;
  /** Its plain text (positions count in it). */
  plainText: string;
  blocks: TextBlock[];
};

/** Documents whose placements one process keeps (the least recently used is dropped first). */
const PLACEMENT_CACHE_DOCUMENTS = 16;

/** What is known of one document's text at one state: the text, and anchors already placed in it. */
type PlacementCacheEntry = {
  /** The text room's Yjs snapshot (state vector and delete set), hashed: any edit changes it. */
  stateKey: string;
  text: CurrentText;
  /** By annotation id: the anchor as it was placed (its bytes and quote) and where it lies. */
  placed: Map<string, { anchorKey: string; located: Located | null }>;
};

/**
 * Per document, the placements of anchors in the text as it stands. Placing
 * 10,000 anchors is most of a review page's work (issue 12), and it only
 * changes when the text does: an entry is used only while the text room's
 * Yjs snapshot (state vector and delete set: every insertion and deletion
 * moves it) is the one it was made at, and each anchor only while its
 * stored bytes and quote are those it was placed with. Exact, never stale.
 *
 * One per process, on globalThis like the Prisma client (lib/server/db.ts): under `npm start`
 * the app's start (loaded by tsx) and Next's bundle each evaluate this module, and what the
 * start's warm-up places (lib/server/seminars/warm-newest-reading.ts) is what the first
 * review after a start should find.
 */
const PLACEMENTS_KEY = Symbol.for("marginalia.placements");
const placementCache: Map<string, PlacementCacheEntry> = ((
  globalThis as typeof globalThis & { [PLACEMENTS_KEY]?: Map<string, PlacementCacheEntry> }
)[PLACEMENTS_KEY] ??= new Map<string, PlacementCacheEntry>());

function anchorKeyOf(anchor: StoredAnchor): string {
  return `${anchor.start}|${anchor.end}|${anchor.quote.exact}|${anchor.quote.prefix}|${anchor.quote.suffix}|${anchor.position.start}`;
}

function cacheEntryFor(documentId: string, stateKey: string): PlacementCacheEntry | null {
  const entry = placementCache.get(documentId);
  if (!entry || entry.stateKey !== stateKey) return null;
  // Most recently used last.
  placementCache.delete(documentId);
  placementCache.set(documentId, entry);
  return entry;
}

function rememberEntry(documentId: string, entry: PlacementCacheEntry) {
  placementCache.delete(documentId);
  placementCache.set(documentId, entry);
  while (placementCache.size > PLACEMENT_CACHE_DOCUMENTS) {
    const oldest = placementCache.keys().next().value as string;
    placementCache.delete(oldest);
  }
}

/** The text of a loaded text room as ProseMirror reads it, and an anchor resolver over it. */
type TextReader = {
  pmDoc: PMNode;
  index: TextIndex;
  resolve: (anchor: StoredAnchor) => AnchorResolution;
};

function createTextReader(textDoc: Y.Doc): TextReader {
  const fragment = textDoc.getXmlFragment(ROOT_TYPES.text);
  const pmDoc = yXmlFragmentToProseMirrorRootNode(fragment, getReadingSchema());
  return {
    pmDoc,
    index: buildTextIndex(pmDoc),
    resolve: createAnchorResolver({ doc: textDoc, fragment, pmDoc }),
  };
}

/** Anchors read on demand: those of the ids given, when they are not placed yet. */
export type AnchorReader = {
  ids: string[];
  read: (ids: string[]) => Promise<{ id: string; anchor: StoredAnchor }[]>;
};

/**
 * Loads the text room of a document (seeding it first if it never was), and
 * places anchors in it. The Y.Doc lives only inside this call: every anchor
 * to place is passed in, and their places come back by id (null: detached).
 * Places already computed at the same state of the text are reused (see
 * `placementCache`); the returned text is shared with later calls: read it,
 * never change it.
 *
 * `more` names shared threads by id alone, their anchors read only for those
 * not placed yet: a shared annotation's anchor is written once, when it is
 * created (create-annotation.ts), and a new version of a text moves its
 * annotations to a new document (replace-document-version.ts), so a document
 * and an id name one anchor for good. (Anchors passed whole, such as private
 * notes, which their owner's browser writes, are checked against what was placed.)
 */
export async function loadCurrentText(
  documentId: string,
  anchors: { id: string; anchor: StoredAnchor }[],
  more: AnchorReader | null = null,
): Promise<{ text: CurrentText; located: Map<string, Located | null> }> {
  await seedTextRoom(documentId);
  const textDoc = await loadRoomDoc(roomName({ kind: "text", documentId }));
  try {
    const stateKey = createHash("sha1")
      .update(Y.encodeSnapshot(Y.snapshot(textDoc)))
      .digest("base64");
    let reader: TextReader | null = null;
    // The text is read and the resolver built only when something must be placed, or read anew.
    const readText = (): TextReader => (reader ??= createTextReader(textDoc));
    let entry = cacheEntryFor(documentId, stateKey);
    if (!entry) {
      const { pmDoc, index } = readText();
      entry = {
        stateKey,
        text: {
          content: pmDoc.toJSON() as JSONContent,
          plainText: index.text,
          blocks: listTextBlocks(pmDoc),
        },
        placed: new Map(),
      };
      rememberEntry(documentId, entry);
    }
    const known = entry;
    const located = new Map<string, Located | null>();
    const place = (id: string, anchor: StoredAnchor, anchorKey: string) => {
      const { resolve, index } = readText();
      const resolution = resolve(anchor);
      let at: Located | null = null;
      if (resolution.status === "anchored") {
        const start = posToTextOffset(index.runs, resolution.from) ?? 0;
        const end = posToTextOffset(index.runs, resolution.to) ?? start;
        // The words are cached with the place: both hold only while the text is at this state.
        at = {
          start,
          end,
          blockIndex: blockIndexAt(known.text.blocks, start),
          words: known.text.plainText.slice(start, end),
        };
      }
      known.placed.set(id, { anchorKey, located: at });
      located.set(id, at);
    };
    for (const { id, anchor } of anchors) {
      const anchorKey = anchorKeyOf(anchor);
      const cached = known.placed.get(id);
      if (cached && cached.anchorKey === anchorKey) located.set(id, cached.located);
      else place(id, anchor, anchorKey);
    }
    if (more) {
      const missing: string[] = [];
      for (const id of more.ids) {
        const cached = known.placed.get(id);
        if (cached) located.set(id, cached.located);
        else missing.push(id);
      }
      if (missing.length > 0)
        for (const { id, anchor } of await more.read(missing)) place(id, anchor, anchorKeyOf(anchor));
    }
    return { text: known.text, located };
  } finally {
    textDoc.destroy();
  }
}
