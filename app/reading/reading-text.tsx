import type { JSONContent } from "@tiptap/core";
import { renderToReactElement } from "@tiptap/static-renderer/pm/react";
import type { CSSProperties, ReactNode } from "react";
import { markPassages, type PassagePreview } from "@/lib/shared/annotations/passage-preview";
import { previewExtensions, type PreviewHighlightAttrs } from "@/lib/shared/schema/preview-highlight";

/** `"--a: 1; --b: var(--c)"` as a React style (custom properties kept as they are). */
function styleOf(declarations: string): CSSProperties {
  const style: Record<string, string> = {};
  for (const declaration of declarations.split(";")) {
    const colon = declaration.indexOf(":");
    if (colon > 0) style[declaration.slice(0, colon).trim()] = declaration.slice(colon + 1).trim();
  }
  return style;
}

/**
 * The text, rendered on the server by Tiptap's static renderer from the
 * reading schema (the same extensions the live editor uses), so it is
 * readable before any script runs; with the first screen's highlights drawn
 * in it when `passages` are given (lib/shared/annotations/passage-preview.ts).
 */
export function ReadingText({
  content,
  passages = [],
}: {
  content: unknown;
  passages?: readonly PassagePreview[];
}) {
  return (
    <div className="reading-text">
      {renderToReactElement({
        content: markPassages(content as JSONContent, passages),
        extensions: previewExtensions(),
        options: {
          markMapping: {
            previewHighlight: ({ mark, children }: { mark: { attrs: unknown }; children?: ReactNode }) => {
              const attrs = mark.attrs as PreviewHighlightAttrs;
              return (
                <span
                  className={attrs.class}
                  data-count={attrs.count ?? undefined}
                  style={attrs.style ? styleOf(attrs.style) : undefined}
                >
                  {children}
                </span>
              );
            },
          },
        },
      })}
    </div>
  );
}
