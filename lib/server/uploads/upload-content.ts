/**
 * The header of a converted text (title, byline, source line) lives twice:
 * as columns, for lists and exports, and as the first nodes of the content,
 * for the reading page. These keep the two the same.
 */
import type { JSONContent } from "@tiptap/core";
import { buildTextIndex, packOffsetMap } from "@/lib/shared/anchors/text-index";
import { AppError } from "@/lib/shared/errors";
import { readingDocFromJSON } from "@/lib/shared/schema/reading-schema";

/** A text's metadata as the preview edits it. */
export type TextMetadata = { title: string; byline: string; source: string; date: string | null };

const HEADER_TYPES = new Set(["title", "byline", "source"]);

/** The content with its header nodes rebuilt from `metadata` (empty byline and source are left out). */
export function withMetadata(content: JSONContent, metadata: TextMetadata): JSONContent {
  const body = (content.content ?? []).filter((node) => !HEADER_TYPES.has(node.type ?? ""));
  const text = (value: string) => [{ type: "text", text: value }];
  const header: JSONContent[] = [{ type: "title", content: text(metadata.title) }];
  if (metadata.byline) header.push({ type: "byline", content: text(metadata.byline) });
  if (metadata.source) {
    header.push({
      type: "source",
      attrs: { publication: metadata.source, issue: null, date: metadata.date },
      content: text(metadata.source),
    });
  }
  return { ...content, content: [...header, ...body] };
}

/** The plain text and offset map of content in the reading schema; invalid_input when it does not fit the schema. */
export function indexContent(content: JSONContent) {
  let doc;
  try {
    doc = readingDocFromJSON(content);
  } catch (error) {
    throw new AppError("unprocessable", "The converted text does not fit the reading format.", {
      reason: error instanceof Error ? error.message : String(error),
    });
  }
  const index = buildTextIndex(doc);
  return { plainText: index.text, offsetMap: packOffsetMap(index.runs) };
}
