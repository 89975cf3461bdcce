/**
 * What every export is made from: the reading's current text (the text
 * room, so an instructor's edits count), the seminar's threads (live from
 * the rows, every comment of every thread, or as a discussion snapshot kept them), the exporter's
 * own private notes, each thread anchored in the text and numbered in
 * reading order. Formats (Markdown, CSV, JSON-LD, HTML, PDF) only present it.
 */
import type { JSONContent } from "@tiptap/core";
import type { Node as PMNode } from "@tiptap/pm/model";
import { yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { z } from "zod";
import { createAnchorResolver } from "@/lib/shared/anchors/anchor";
import { buildTextIndex, posToTextOffset, type TextRun } from "@/lib/shared/anchors/text-index";
import {
  readCategories,
  readPrivateNotes,
  readSeminarThreads,
  type Thread,
} from "@/lib/shared/annotations/threads";
import type { ProjectedCategory } from "@/lib/shared/annotations/types";
import {
  commentBodyToText,
  addMentionedUserIds,
  relabelMentions,
  type CommentBody,
} from "@/lib/shared/comments/comment-body";
import { AppError } from "@/lib/shared/errors";
import { ROOT_TYPES, roomName } from "@/lib/shared/rooms";
import { getReadingSchema } from "@/lib/shared/schema/reading-schema";
import { IMAGE_TYPES } from "../documents/document-images";
import { db } from "../db";
import { commentPolicy, seminarPolicy, type Actor } from "../policies";
import { withHiddenWords } from "../annotations/hidden-words";
import { requireSeminar } from "../policies/require";
import { seedTextRoom } from "../realtime/seed-text-room";
import { loadRoomDoc } from "../realtime/load-room-doc";
import { loadDiscussionThreads } from "../realtime/load-discussion-doc";
import { parseInput } from "../parse-input";
import { getPostFirstGate } from "../post-first/get-post-first-gate";
import { filterBeforePosting } from "@/lib/shared/post-first/post-first";
import { requireReading } from "../seminars/require-reading";
import { ZSafeText } from "@/lib/shared/validation/text";

/** What to export. */
export const ZExportOptions = z.object({
  /** My private notes, the seminar's threads, or both. */
  layers: z.enum(["seminar", "private", "both"]).default("seminar"),
  /** Include resolved threads. */
  includeResolved: z.boolean().default(true),
  /** Only this participant's threads and comments. */
  participantId: ZSafeText("Participant").max(40).nullable().default(null),
  /** Export a discussion snapshot instead of the live discussion. */
  snapshotId: ZSafeText("Snapshot").max(40).nullable().default(null),
});
export type TExportOptions = z.infer<typeof ZExportOptions>;

/** A comment as exports show it. */
export type ExportComment = {
  id: string;
  parentId: string | null;
  author: { id: string; name: string; role: string | null };
  /** Null when deleted, or hidden and the exporter is not an instructor (instructors get a hidden comment's words). */
  body: CommentBody | null;
  /** Plain text of the body ("" when it is null). */
  text: string;
  createdAt: string;
  editedAt: string | null;
  isDeleted: boolean;
  /** Hidden from students by an instructor: with `body` set, words only instructors read. */
  isHidden: boolean;
  /** How many members reacted, by kind (0 for private notes). */
  reactionCounts: { helpful: number; sameQuestion: number };
};

/** A thread as exports show it. */
export type ExportThread = {
  id: string;
  /** 1, 2, 3… in reading order (detached threads last). */
  number: number;
  kind: Thread["kind"];
  layer: Thread["layer"];
  author: { id: string; name: string; role: string | null };
  category: ProjectedCategory | null;
  /** The quote as it was anchored. */
  quote: { exact: string; prefix: string; suffix: string };
  /** Where it lies in the current text: ProseMirror positions in `document.doc` and plain-text offsets; null when detached. */
  range: { from: number; to: number } | null;
  position: { start: number; end: number } | null;
  pinned: boolean;
  resolvedAt: string | null;
  resolvedByName: string | null;
  createdAt: string;
  updatedAt: string;
  comments: ExportComment[];
};

/** Everything an export needs. */
export type ExportData = {
  document: {
    id: string;
    slug: string;
    title: string;
    byline: string;
    source: string;
    /** The current text in the reading schema. */
    doc: PMNode;
    /** The same, as JSON. */
    content: JSONContent;
    /** The current plain text (W3C selectors count in it). */
    plainText: string;
    runs: TextRun[];
    /**
     * The figures' images as `data:` URLs by key: an exported file is read offline and its
     * Content-Security-Policy allows no other image source. Absent when there are none.
     */
    images?: ReadonlyMap<string, string>;
  };
  seminar: { id: string; title: string };
  reading: { dueAt: Date | null; instruction: string };
  exporter: { id: string; name: string };
  snapshot: { id: string; name: string; createdAt: Date } | null;
  generatedAt: Date;
  options: TExportOptions;
  categories: ProjectedCategory[];
  threads: ExportThread[];
};

/** Loads and anchors everything for an export; policies: members export their seminar's threads and their own notes. */
export async function loadExportData(
  actor: Actor,
  seminarId: string,
  documentId: string,
  input: unknown,
): Promise<ExportData> {
  const access = await requireSeminar(
    actor,
    seminarId,
    seminarPolicy.export,
    "You may not export this reading.",
  );
  const options = parseInput(ZExportOptions, input ?? {}, { fallback: "Check the export options." });

  const reading = await requireReading(seminarId, documentId, {
    dueAt: true,
    instruction: true,
    seminar: { select: { id: true, title: true } },
    document: { select: { id: true, slug: true, title: true, byline: true, source: true } },
  });
  const exporter = await db.user.findUniqueOrThrow({
    where: { id: access.actor.userId },
    select: { id: true, name: true },
  });

  const { isLocked } = await getPostFirstGate(seminarId, documentId, access.actor.userId);

  // The seminar's discussion: live, or as a snapshot kept it.
  let snapshot: ExportData["snapshot"] = null;
  let discussion: { categories: ProjectedCategory[]; threads: Thread[] };
  if (options.snapshotId) {
    const row = await db.discussionSnapshot.findFirst({
      where: { id: options.snapshotId, seminarId, documentId },
      select: { id: true, name: true, createdAt: true, state: true },
    });
    if (!row) throw new AppError("not_found", "There is no such snapshot of this reading.");
    snapshot = { id: row.id, name: row.name, createdAt: row.createdAt };
    const seminarDoc = new Y.Doc();
    try {
      Y.applyUpdate(seminarDoc, row.state);
      discussion = { categories: readCategories(seminarDoc), threads: readSeminarThreads(seminarDoc) };
    } finally {
      seminarDoc.destroy();
    }
  } else {
    // From the rows, not the seminar room: the room carries each thread's first comment only (docs/adr/0027).
    discussion = await loadDiscussionThreads(seminarId, documentId);
  }

  await seedTextRoom(documentId);
  const textDoc = await loadRoomDoc(roomName({ kind: "text", documentId }));
  const notesDoc =
    options.layers === "seminar"
      ? null
      : await loadRoomDoc(roomName({ kind: "notes", documentId, userId: access.actor.userId }));
  try {
    const fragment = textDoc.getXmlFragment(ROOT_TYPES.text);
    const doc = yXmlFragmentToProseMirrorRootNode(fragment, getReadingSchema());
    const index = buildTextIndex(doc);
    const { categories } = discussion;
    const categoryById = new Map(categories.map((category) => [category.id, category]));

    let threads: Thread[] = [];
    if (options.layers !== "private") {
      const shared = discussion.threads;
      // Post first, then see (docs/adr/0019): the same rule as the student's view room.
      const visible = isLocked ? filterBeforePosting(shared, exporter.id) : shared;
      // Instructors read what they hid, marked hidden; a student's export never holds those words.
      threads.push(...(commentPolicy.readHidden(access) ? await withHiddenWords(visible) : visible));
    }
    if (notesDoc) threads.push(...readPrivateNotes(notesDoc, exporter));
    if (!options.includeResolved) threads = threads.filter((thread) => !thread.resolvedAt);
    if (options.participantId) {
      const who = options.participantId;
      threads = threads
        .map((thread) => ({
          ...thread,
          comments: thread.comments.filter((comment) => comment.author.id === who),
        }))
        .filter((thread) => thread.author.id === who || thread.comments.length > 0);
    }

    const resolve = createAnchorResolver({ doc: textDoc, fragment, pmDoc: doc });
    const anchored = threads.map((thread) => {
      const resolution = resolve(thread.anchor);
      const range = resolution.status === "anchored" ? { from: resolution.from, to: resolution.to } : null;
      const position = range
        ? {
            start: posToTextOffset(index.runs, range.from) ?? 0,
            end: posToTextOffset(index.runs, range.to) ?? 0,
          }
        : null;
      return { thread, range, position };
    });
    anchored.sort((a, b) => {
      if (!a.range || !b.range)
        return a.range ? -1 : b.range ? 1 : a.thread.createdAt.localeCompare(b.thread.createdAt);
      return (
        a.range.from - b.range.from ||
        a.range.to - b.range.to ||
        a.thread.createdAt.localeCompare(b.thread.createdAt)
      );
    });

    // Mentions show the person's current name, as the export's authors do.
    const mentionedIds = new Set<string>();
    for (const { thread } of anchored)
      for (const comment of thread.comments)
        if (comment.body) addMentionedUserIds(comment.body, mentionedIds);
    const mentioned = [...mentionedIds];
    const currentNames = new Map(
      mentioned.length === 0
        ? []
        : (
            await db.user.findMany({ where: { id: { in: mentioned } }, select: { id: true, name: true } })
          ).map((user) => [user.id, user.name] as const),
    );
    const withCurrentNames = (body: CommentBody | null) =>
      body && currentNames.size > 0 ? relabelMentions(body, currentNames) : body;

    return {
      document: {
        ...reading.document,
        doc,
        content: doc.toJSON() as JSONContent,
        plainText: index.text,
        runs: index.runs,
        images: await figureImages(documentId, doc),
      },
      seminar: reading.seminar,
      reading: { dueAt: reading.dueAt, instruction: reading.instruction },
      exporter,
      snapshot,
      generatedAt: new Date(),
      options,
      categories,
      threads: anchored.map(({ thread, range, position }, i) => ({
        id: thread.id,
        number: i + 1,
        kind: thread.kind,
        layer: thread.layer,
        author: thread.author,
        category: thread.categoryId ? (categoryById.get(thread.categoryId) ?? null) : null,
        quote: thread.anchor.quote,
        range,
        position,
        pinned: thread.pinned,
        resolvedAt: thread.resolvedAt,
        resolvedByName: thread.resolvedByName,
        createdAt: thread.createdAt,
        updatedAt: thread.updatedAt,
        comments: thread.comments.map((comment) => {
          const body = withCurrentNames(comment.body);
          return {
            id: comment.id,
            parentId: comment.parentId,
            author: comment.author,
            body,
            text: body ? commentBodyToText(body) : "",
            createdAt: comment.createdAt,
            editedAt: comment.editedAt,
            isDeleted: comment.isDeleted,
            isHidden: comment.isHidden,
            reactionCounts: {
              helpful: comment.reactions?.helpful.length ?? 0,
              sameQuestion: comment.reactions?.["same-question"].length ?? 0,
            },
          };
        }),
      })),
    };
  } finally {
    textDoc.destroy();
    notesDoc?.destroy();
  }
}

/** The images the text's figures show, as `data:` URLs by key (only types the app serves). */
async function figureImages(documentId: string, doc: PMNode): Promise<ReadonlyMap<string, string>> {
  const keys = new Set<string>();
  doc.descendants((node) => {
    if (node.type.name === "figure") keys.add(String(node.attrs.key));
    return true;
  });
  if (keys.size === 0) return new Map();
  const rows = await db.documentImage.findMany({
    where: { documentId, key: { in: [...keys] } },
    select: { key: true, mediaType: true, bytes: true },
  });
  return new Map(
    rows
      .filter((row) => IMAGE_TYPES.has(row.mediaType))
      .map((row) => [row.key, `data:${row.mediaType};base64,${Buffer.from(row.bytes).toString("base64")}`]),
  );
}
