"use client";

import type { Editor } from "@tiptap/react";
import { BubbleMenu } from "@tiptap/react/menus";
import { Toolbar } from "radix-ui";
import type { ProjectedCategory } from "@/lib/shared/annotations/types";

type Props = {
  editor: Editor;
  categories: ProjectedCategory[];
  canGuide: boolean;
  onHighlight: (categoryId: string | null) => void;
  onComment: () => void;
  onNote: () => void;
  onQuestion: () => void;
};

/**
 * What a selection offers, floating above it: highlight in a category,
 * comment, private note and (instructors) guiding question. A Radix toolbar:
 * one Tab stop, arrow keys between its buttons.
 */
export function SelectionToolbar({
  editor,
  categories,
  canGuide,
  onHighlight,
  onComment,
  onNote,
  onQuestion,
}: Props) {
  return (
    <BubbleMenu
      editor={editor}
      options={{ placement: "top", offset: 10 }}
      shouldShow={({ state, view }) => {
        const { from, to } = state.selection;
        return from < to && view.hasFocus();
      }}
    >
      <Toolbar.Root className="selection-toolbar" aria-label="Annotate the selection">
        <span className="selection-toolbar-label" aria-hidden="true">
          Highlight
        </span>
        {categories.map((category) => (
          <Toolbar.Button
            key={category.id}
            className="swatch-button"
            aria-label={`Highlight as ${category.name}`}
            title={`Highlight as ${category.name} (Ctrl+Alt+H for the first)`}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => onHighlight(category.id)}
          >
            <span className="swatch" style={{ background: category.color }} aria-hidden="true" />
            {/* Shown on focus and hover, so a keyboard reader sees which colour is which. */}
            <span className="swatch-name">{category.name}</span>
          </Toolbar.Button>
        ))}
        {categories.length === 0 && (
          <Toolbar.Button
            className="toolbar-button"
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => onHighlight(null)}
          >
            Highlight
          </Toolbar.Button>
        )}
        <Toolbar.Separator className="toolbar-separator" />
        <Toolbar.Button
          className="toolbar-button"
          aria-label="Comment on the selection"
          title="Comment (Ctrl+Alt+M)"
          onMouseDown={(event) => event.preventDefault()}
          onClick={onComment}
        >
          Comment
        </Toolbar.Button>
        <Toolbar.Button
          className="toolbar-button"
          aria-label="Private note on the selection"
          title="Private note (Ctrl+Alt+N)"
          onMouseDown={(event) => event.preventDefault()}
          onClick={onNote}
        >
          Private note
        </Toolbar.Button>
        {canGuide && (
          <Toolbar.Button
            className="toolbar-button"
            aria-label="Guiding question on the selection"
            title="Guiding question (Ctrl+Alt+G)"
            onMouseDown={(event) => event.preventDefault()}
            onClick={onQuestion}
          >
            Guiding question
          </Toolbar.Button>
        )}
      </Toolbar.Root>
    </BubbleMenu>
  );
}
