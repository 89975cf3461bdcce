/**
 * A new version of an uploaded text (docs/adr/0014): a new document linked
 * to the one it replaces, taking over its readings and its annotations. Each
 * annotation is looked for in the new text by its quote near its old
 * position (the fuzzy matching of lib/shared/anchors/quote.ts):
 * - moves: its quote is found exactly;
 * - re-anchors: found approximately (the words changed a little);
 * - detaches: not found. It still moves to the new version, keeping its old
 *   quote; the reading page shows it as orphaned, with its quote. Nothing is dropped.
 */
import type { JSONContent } from "@tiptap/core";
import { yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { createAnchor } from "@/lib/shared/anchors/anchor";
import { matchQuote, type QuoteMatch } from "@/lib/shared/anchors/quote";
import { buildTextIndex, textOffsetToPos } from "@/lib/shared/anchors/text-index";
import { createPositionMapper } from "@/lib/shared/anchors/y-positions";
import { AppError } from "@/lib/shared/errors";
import { ROOT_TYPES, roomName } from "@/lib/shared/rooms";
import { getReadingSchema } from "@/lib/shared/schema/reading-schema";
import { anchorToRow } from "../annotations/anchor-bytes";
import { db } from "../db";
import { createOwnedDocument } from "../documents/create-owned-document";
import { saveDocumentImages, uploadImagesOf } from "../documents/document-images";
import type { Actor } from "../policies";
import { notifyAccessChange } from "../realtime/access-events";
import { appendUpdate, lockRoom } from "../realtime/update-log";
import { buildTextSeed } from "../realtime/seed-text-room";
import { requireUpload } from "./require-upload";
import { withMetadata } from "./upload-content";

/** What would happen to one annotation. */
export type AnnotationFate = {
  annotationId: string;
  /** The passage it marks, as it was. */
  quote: string;
  outcome: "move" | "reanchor" | "detach";
};

/** The dry run's answer. */
export type VersionPlan = {
  /** The document the new version replaces. */
  documentId: string;
  /** Counts per outcome. */
  move: number;
  reanchor: number;
  detach: number;
  /** The annotations that will detach, listed so nobody is surprised. */
  detached: { annotationId: string; quote: string }[];
};

type AnnotationRow = {
  id: string;
  quoteExact: string;
  quotePrefix: string;
  quoteSuffix: string;
  positionStart: number;
};

function findInText(text: string, annotation: AnnotationRow): QuoteMatch | null {
  return matchQuote(
    text,
    { exact: annotation.quoteExact, prefix: annotation.quotePrefix, suffix: annotation.quoteSuffix },
    annotation.positionStart,
  );
}

function outcomeOf(match: QuoteMatch | null): AnnotationFate["outcome"] {
  if (!match) return "detach";
  return match.errors === 0 ? "move" : "reanchor";
}

async function loadPlanInputs(actor: Actor, uploadId: string) {
  const upload = await requireUpload(actor, uploadId);
  if (!upload.replacesDocumentId)
    throw new AppError("conflict", "This upload is not a new version of a text.");
  const content = withMetadata(upload.content as JSONContent, {
    title: upload.title,
    byline: upload.byline,
    source: upload.source,
    date: upload.date,
  });
  const annotations = await db.annotation.findMany({
    where: { documentId: upload.replacesDocumentId },
    select: { id: true, quoteExact: true, quotePrefix: true, quoteSuffix: true, positionStart: true },
    orderBy: { positionStart: "asc" },
  });
  return { upload, replacesDocumentId: upload.replacesDocumentId, content, annotations };
}

/** The dry run: how many annotations would move, re-anchor and detach. Changes nothing. */
export async function getVersionPlan(actor: Actor, uploadId: string): Promise<VersionPlan> {
  const { replacesDocumentId, content, annotations } = await loadPlanInputs(actor, uploadId);
  const text = buildTextIndex(getReadingSchema().nodeFromJSON(content)).text;
  const fates = annotations.map((annotation) => ({
    annotationId: annotation.id,
    quote: annotation.quoteExact,
    outcome: outcomeOf(findInText(text, annotation)),
  }));
  const count = (outcome: AnnotationFate["outcome"]) =>
    fates.filter((fate) => fate.outcome === outcome).length;
  return {
    documentId: replacesDocumentId,
    move: count("move"),
    reanchor: count("reanchor"),
    detach: count("detach"),
    detached: fates
      .filter((fate) => fate.outcome === "detach")
      .map(({ annotationId, quote }) => ({ annotationId, quote })),
  };
}

/**
 * Confirms a new version: in one transaction, creates the new document,
 * seeds its text room (so the new anchors' relative positions name its
 * items), moves every annotation and reading to it, and deletes the upload.
 * Returns the plan as carried out.
 */
export async function replaceDocumentVersion(actor: Actor, uploadId: string) {
  const { upload, replacesDocumentId, content, annotations } = await loadPlanInputs(actor, uploadId);
  const seed = buildTextSeed(content);
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, seed);
    const schema = getReadingSchema();
    const fragment = doc.getXmlFragment(ROOT_TYPES.text);
    const pmDoc = yXmlFragmentToProseMirrorRootNode(fragment, schema);
    const index = buildTextIndex(pmDoc);
    const mapper = createPositionMapper(doc, fragment, schema);
    const moves = annotations.map((annotation) => {
      const match = findInText(index.text, annotation);
      const from = match ? textOffsetToPos(index.runs, match.start) : null;
      const to = match ? textOffsetToPos(index.runs, match.end - 1) : null;
      const anchor =
        match && from !== null && to !== null
          ? createAnchor({ doc, fragment, pmDoc, from, to: to + 1, index, mapper })
          : null;
      return { annotation, outcome: outcomeOf(anchor ? match : null), anchor };
    });
    const images = await uploadImagesOf(upload.id);
    const previous = await db.document.findUniqueOrThrow({
      where: { id: replacesDocumentId },
      select: { readings: { select: { seminarId: true } } },
    });
    const document = await db.$transaction(
      async (tx) => {
        const { count } = await tx.upload.deleteMany({ where: { id: upload.id } });
        if (count === 0) throw new AppError("not_found", "This upload was already confirmed or discarded.");
        const created = await createOwnedDocument(tx, {
          ownerId: upload.actor.userId,
          content,
          metadata: { title: upload.title, byline: upload.byline, source: upload.source, date: upload.date },
          previousVersionId: replacesDocumentId,
        });
        await saveDocumentImages(created.id, images, tx);
        const room = roomName({ kind: "text", documentId: created.id });
        await lockRoom(tx, room);
        await appendUpdate(tx, room, seed, "seed");
        for (const { annotation, anchor } of moves) {
          await tx.annotation.update({
            where: { id: annotation.id },
            data: anchor ? { documentId: created.id, ...anchorToRow(anchor) } : { documentId: created.id },
          });
        }
        await tx.reading.updateMany({
          where: { documentId: replacesDocumentId },
          data: { documentId: created.id },
        });
        for (const { seminarId } of previous.readings) {
          await notifyAccessChange({ type: "readings-changed", seminarId }, tx);
        }
        return created;
      },
      { timeout: 60_000 },
    );
    const count = (outcome: AnnotationFate["outcome"]) =>
      moves.filter((move) => move.outcome === outcome).length;
    return {
      document,
      move: count("move"),
      reanchor: count("reanchor"),
      detach: count("detach"),
      detached: moves
        .filter((move) => move.outcome === "detach")
        .map(({ annotation }) => ({ annotationId: annotation.id, quote: annotation.quoteExact })),
    };
  } finally {
    doc.destroy();
  }
}
