/**
 * Helpers on a reading's ProseMirror JSON shared by the importers and the
 * upload flow: the header (title, byline, source line) and the plain text and
 * offset map a Document stores, derived exactly as for the library's texts.
 */
import type { JSONContent } from "@tiptap/core";
import { buildTextIndex, packOffsetMap, type StoredOffsetMap } from "../anchors/text-index";
import { readingDocFromJSON } from "../schema/reading-schema";

/** The plain text and offset map of a reading, as stored on its Document. */
export function documentTextOf(content: JSONContent): { plainText: string; offsetMap: StoredOffsetMap } {
  const index = buildTextIndex(readingDocFromJSON(content));
  return { plainText: index.text, offsetMap: packOffsetMap(index.runs) };
}

/** The title, byline and source nodes that open a reading (empty byline/source are left out). */
export function buildReadingHeader(meta: {
  title: string;
  byline: string;
  source: string;
  date: string | null;
}): JSONContent[] {
  const text = (value: string) => (value.trim() ? [{ type: "text", text: value.trim() }] : []);
  return [
    { type: "title", content: text(meta.title || "Untitled") },
    ...(meta.byline.trim() ? [{ type: "byline", content: text(meta.byline) }] : []),
    ...(meta.source.trim()
      ? [
          {
            type: "source",
            attrs: { publication: meta.source.trim(), issue: null, date: meta.date },
            content: text(meta.source),
          },
        ]
      : []),
  ];
}

/** The same reading with its header replaced (the preview's edited metadata). */
export function withReadingMetadata(
  content: JSONContent,
  meta: { title: string; byline: string; source: string; date: string | null },
): JSONContent {
  const body = (content.content ?? []).filter(
    (node) => node.type !== "title" && node.type !== "byline" && node.type !== "source",
  );
  return { ...content, content: [...buildReadingHeader(meta), ...body] };
}
