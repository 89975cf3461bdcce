"use client";

/**
 * Footnote references in the live text: hovering or focusing one shows its
 * note in a tooltip (Radix Tooltip: hover and keyboard focus, Escape to
 * close); clicking or Enter follows the link to the note, as before.
 */
import { NodeViewWrapper, ReactNodeViewRenderer, type ReactNodeViewProps } from "@tiptap/react";
import { Tooltip } from "radix-ui";
import { FootnoteReference, footnoteId, footnoteReferenceId } from "@/lib/shared/schema/reading-extensions";

function noteText(doc: ReactNodeViewProps["editor"]["state"]["doc"], number: number): string {
  let text = "";
  doc.descendants((node) => {
    if (text) return false;
    if (node.type.name === "footnote" && node.attrs.number === number) {
      text = node.textContent;
      return false;
    }
    return true;
  });
  return text;
}

function FootnoteReferenceView({ node, editor }: ReactNodeViewProps) {
  const number = Number(node.attrs.number);
  const note = noteText(editor.state.doc, number);
  return (
    <NodeViewWrapper
      as="sup"
      className="fn-ref"
      id={footnoteReferenceId(number)}
      data-note={String(number)}
      contentEditable={false}
    >
      <Tooltip.Provider delayDuration={150}>
        <Tooltip.Root>
          <Tooltip.Trigger asChild>
            <a href={`#${footnoteId(number)}`} role="doc-noteref" aria-label={`Note ${number}`} tabIndex={0}>
              {number}
            </a>
          </Tooltip.Trigger>
          <Tooltip.Portal>
            <Tooltip.Content
              className="footnote-tooltip"
              side="top"
              align="center"
              sideOffset={6}
              collisionPadding={12}
            >
              <span className="footnote-tooltip-number">{number}</span> {note || "This note is empty."}
              <Tooltip.Arrow className="footnote-tooltip-arrow" />
            </Tooltip.Content>
          </Tooltip.Portal>
        </Tooltip.Root>
      </Tooltip.Provider>
    </NodeViewWrapper>
  );
}

/** The footnote reference with its tooltip, for the live editor (same node, same schema). */
export const FootnoteReferenceWithPopover = FootnoteReference.extend({
  addNodeView() {
    return ReactNodeViewRenderer(FootnoteReferenceView, { as: "span" });
  },
});
