/**
 * A mark the server's first paint of a text uses to draw the first screen's
 * highlights (lib/shared/annotations/passage-preview.ts). Only the static
 * rendering knows it: the live editor draws highlights as decorations, and no
 * stored document ever holds this mark.
 */
import { getSchema, Mark, type Extensions, type Node as AnyNode } from "@tiptap/core";
import type { Schema } from "@tiptap/pm/model";
import { readingExtensions } from "./reading-extensions";

/**
 * The mark's attributes: what draws a highlight segment (highlight-segments.ts). Not
 * its thread ids or authors' names: nothing reads them before the live text takes over,
 * and at 10,000 threads they were two thirds of the marks' weight in the page.
 */
export type PreviewHighlightAttrs = {
  class: string;
  count: string | null;
  /** A category's colour, if any (a kind's colour comes with its class). */
  style: string | null;
};

export const PreviewHighlight = Mark.create({
  name: "previewHighlight",
  addAttributes: () => ({
    class: { default: "" },
    count: { default: null },
    style: { default: null },
  }),
  renderHTML: ({ mark }) => {
    const attrs = mark.attrs as PreviewHighlightAttrs;
    return [
      "span",
      {
        class: attrs.class,
        ...(attrs.count ? { "data-count": attrs.count } : {}),
        ...(attrs.style ? { style: attrs.style } : {}),
      },
      0,
    ];
  },
});

/**
 * The reading extensions with the preview's mark, for the server's first
 * paint; nodes that allow only some marks (the title, byline, source line)
 * allow it too, as the live text's decorations cover them.
 */
export function previewExtensions(): Extensions {
  const extensions = readingExtensions().map((extension) => {
    const marks = (extension.config as { marks?: unknown }).marks;
    if (extension.type !== "node" || typeof marks !== "string") return extension;
    return (extension as AnyNode).extend({ marks: `${marks} previewHighlight`.trim() });
  });
  return [...extensions, PreviewHighlight];
}

let cached: Schema | null = null;

/** The schema of {@link previewExtensions} (built once). */
export function getPreviewSchema(): Schema {
  cached ??= getSchema(previewExtensions());
  return cached;
}
