"use client";

/**
 * Footnote references in the live text: hovering or focusing one shows its
 * note in a tooltip (Radix Tooltip: hover and keyboard focus, Escape to
 * close); clicking or Enter follows the link to the note, as before.
 */
import { NodeViewWrapper, ReactNodeViewRenderer, type ReactNodeViewProps } from "@tiptap/react";
import { Tooltip } from "radix-ui";
import { useCallback, useEffect, useId, useSyncExternalStore } from "react";
import { FootnoteReference, footnoteId, footnoteReferenceId } from "@/lib/shared/schema/reading-extensions";

/**
 * The one footnote tooltip open on the page, by its reference's key. Every
 * reference's tooltip is controlled by it, so opening one closes whichever
 * was open, however each was opened (hover, keyboard focus) and whatever
 * became of the other's node view. Left to Radix, each reference (a node
 * view with a Provider of its own) relied on a document event to close the
 * others, and two tooltips were once seen on top of each other; the browser
 * test mixes hover and focus and checks only one ever shows
 * (tests/browser/reading-polish.test.ts).
 */
let openReference: string | null = null;
const openListeners = new Set<() => void>();

function setOpenReference(key: string | null) {
  if (openReference === key) return;
  openReference = key;
  for (const listener of openListeners) listener();
}

function subscribeToOpenReference(listener: () => void) {
  openListeners.add(listener);
  return () => {
    openListeners.delete(listener);
  };
}

/** Whether this reference's tooltip is the open one, and how it asks to open or close. */
function useSingleOpenTooltip(): [boolean, (open: boolean) => void] {
  const key = useId();
  const isOpen = useSyncExternalStore(
    subscribeToOpenReference,
    () => openReference === key,
    () => false,
  );
  const onOpenChange = useCallback(
    (open: boolean) => {
      if (open) setOpenReference(key);
      else if (openReference === key) setOpenReference(null);
    },
    [key],
  );
  // A reference removed from the text (an edit, a remote change) takes its tooltip with it.
  useEffect(
    () => () => {
      if (openReference === key) setOpenReference(null);
    },
    [key],
  );
  return [isOpen, onOpenChange];
}

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
  const [isOpen, onOpenChange] = useSingleOpenTooltip();
  return (
    <NodeViewWrapper
      as="sup"
      className="fn-ref"
      // A reference inside a highlight sits in the highlight's decoration, whose title
      // (who annotated it) the browser would show as a second tooltip over the note's;
      // an empty title says none of an ancestor's applies here.
      title=""
      id={footnoteReferenceId(number)}
      data-note={String(number)}
      contentEditable={false}
    >
      <Tooltip.Provider delayDuration={150}>
        <Tooltip.Root open={isOpen} onOpenChange={onOpenChange}>
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
