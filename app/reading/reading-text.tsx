import type { JSONContent } from "@tiptap/core";
import { renderToReactElement } from "@tiptap/static-renderer/pm/react";
import { readingExtensions } from "@/lib/shared/schema/reading-extensions";

/**
 * The text, rendered on the server by Tiptap's static renderer from the
 * reading schema (the same extensions the live editor uses), so it is
 * readable before any script runs.
 */
export function ReadingText({ content }: { content: unknown }) {
  return (
    <div className="reading-text">
      {renderToReactElement({ content: content as JSONContent, extensions: readingExtensions() })}
    </div>
  );
}
