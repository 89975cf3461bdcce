import { buildTextIndex, packOffsetMap, type StoredOffsetMap } from "../anchors/text-index";
import { readingDocFromJSON } from "../schema/reading-schema";
import { parsePlainText, type ParsedText } from "./parse-plain-text";

/** A text ready to be stored as a Document. */
export type ImportedText = ParsedText & {
  /** The plain text that W3C selectors count in. */
  plainText: string;
  /** Plain-text offsets to ProseMirror positions (see text-index.ts). */
  offsetMap: StoredOffsetMap;
};

/** Parses a text in the plain format and derives its plain text and offset map. */
export function importText(raw: string): ImportedText {
  const parsed = parsePlainText(raw);
  const index = buildTextIndex(readingDocFromJSON(parsed.content));
  return { ...parsed, plainText: index.text, offsetMap: packOffsetMap(index.runs) };
}
