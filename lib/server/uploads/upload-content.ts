/**
 * The header of a converted text (title, byline, source line) lives twice:
 * as columns, for lists and exports, and as the first nodes of the content,
 * for the reading page. `withReadingMetadata` keeps the two the same.
 */
import type { JSONContent } from "@tiptap/core";
import { documentTextOf } from "@/lib/shared/documents/reading-content";
import { AppError } from "@/lib/shared/errors";

export { withReadingMetadata as withMetadata } from "@/lib/shared/documents/reading-content";

/** A text's metadata as the preview edits it. */
export type TextMetadata = { title: string; byline: string; source: string; date: string | null };

/** The plain text and offset map of content in the reading schema; unprocessable when it does not fit the schema. */
export function indexContent(content: JSONContent) {
  try {
    return documentTextOf(content);
  } catch (error) {
    throw new AppError("unprocessable", "The converted text does not fit the reading format.", {
      reason: error instanceof Error ? error.message : String(error),
    });
  }
}
