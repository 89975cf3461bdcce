"use client";

import type { Editor } from "@tiptap/react";
import { Dialog } from "radix-ui";
import { useCallback, useEffect, useMemo, useState } from "react";
import type { ProjectedCategory } from "@/lib/shared/annotations/types";
import type { Thread } from "@/lib/shared/annotations/threads";
import type { ThreadActions } from "@/lib/client/annotations/use-thread-actions";
import { annotationLayerKey, annotationsAt } from "@/lib/client/editor/annotation-layer";
import { useNow } from "@/lib/client/time";
import { quoteForAnnouncement } from "@/lib/client/announcements/describe-changes";
import { ThreadCard } from "./thread-card";
import "./phone-sheet.css";

/** Widths at which the margin sits below the text (globals.css), so threads open in a sheet instead. */
export const SHEET_QUERY = "(max-width: 56rem)";

/**
 * At phone width, a tap on a highlight opens the threads there in a sheet at
 * the passage (the margin itself is far below, after the whole text). A tap,
 * not a drag: a selection still offers the annotate toolbar. The passages are
 * those the text draws now, the server's preview included: a tap before the
 * seminar room has synced opens the sheet once its threads are there.
 */
export function usePhoneSheet(editor: Editor | null) {
  const [ids, setIds] = useState<string[] | null>(null);
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    const dom = editor.view.dom;
    const onClick = (event: MouseEvent) => {
      if (!window.matchMedia(SHEET_QUERY).matches) return;
      if (!(window.getSelection()?.isCollapsed ?? true)) return;
      const found = editor.view.posAtCoords({ left: event.clientX, top: event.clientY });
      const ranges = annotationLayerKey.getState(editor.state)?.ranges;
      const here = found && ranges ? annotationsAt(ranges, found.pos) : [];
      if (here.length === 0) return;
      // The passage goes to the top of the screen, above the sheet.
      if (event.target instanceof Element) event.target.scrollIntoView({ block: "start" });
      setIds(here);
    };
    dom.addEventListener("click", onClick);
    return () => dom.removeEventListener("click", onClick);
  }, [editor]);
  const close = useCallback(() => setIds(null), []);
  return { ids, close };
}

type Props = {
  /** The threads to show, innermost passage first; null when closed. */
  ids: string[] | null;
  threads: Thread[];
  categories: ProjectedCategory[];
  me: { id: string };
  can: { moderate: boolean; guide: boolean };
  actions: ThreadActions;
  onClose: () => void;
};

/** The sheet: a modal dialog (focus moves in, stays in, and returns to the text on close) over the lower part of the screen. */
export function PhoneSheet({ ids, threads, categories, me, can, actions, onClose }: Props) {
  const now = useNow();
  const shown = useMemo(() => {
    const byId = new Map(threads.map((thread) => [thread.id, thread]));
    return (ids ?? []).map((id) => byId.get(id)).filter((thread): thread is Thread => thread !== undefined);
  }, [ids, threads]);
  const categoryById = useMemo(
    () => new Map(categories.map((category) => [category.id, category])),
    [categories],
  );
  const first = shown[0];
  return (
    <Dialog.Root open={ids !== null && shown.length > 0} onOpenChange={(isOpen) => !isOpen && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="sheet-overlay" />
        <Dialog.Content className="sheet">
          <Dialog.Title className="sheet-title">
            {shown.length === 1 ? "1 annotation" : `${shown.length} annotations`}
            {first && ` on ${quoteForAnnouncement(first.anchor.quote.exact)}`}
          </Dialog.Title>
          <Dialog.Description className="sr-only">
            The threads on this passage. Reply in any of them; Escape returns to the text.
          </Dialog.Description>
          <div className="sheet-cards">
            {shown.map((thread) => (
              <ThreadCard
                key={thread.id}
                thread={thread}
                me={me}
                can={can}
                category={thread.categoryId ? (categoryById.get(thread.categoryId) ?? null) : null}
                now={now}
                isActive={false}
                actions={actions}
                onActivate={() => {}}
              />
            ))}
          </div>
          <Dialog.Close className="button button-small sheet-close">Close</Dialog.Close>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
