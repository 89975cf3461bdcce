/**
 * Where the reading's passages stand, for the margin (app/reading/margin.tsx places each card
 * beside its passage): passage tops by text position, the live text's top, the paragraph a
 * position lies in, and a layout version that moves whenever those may have changed (the
 * text's own edits, its box resizing, the window, fonts).
 */
import type { Editor } from "@tiptap/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";

/**
 * Tops of text positions, in px below the top of the live text, each read once from the view.
 * Relative to the text, not the page: what sits above the text (the status line, a notice)
 * can change height without the text's own layout changing, and a top cached in page
 * coordinates would then be stale (the margin adds where the text is when it places cards).
 */
function passageTops(editor: Editor | null): (pos: number) => number | null {
  const cache = new Map<number, number | null>();
  return (pos) => {
    if (!editor || editor.isDestroyed) return null;
    const known = cache.get(pos);
    if (known !== undefined) return known;
    // While the live text is hidden (before it has synced) every position reads as the same
    // empty rectangle: answer "not known" and cache nothing, so the tops are read when it shows.
    const textTop = liveTextTop(editor);
    if (textTop === null) return null;
    let top: number | null = null;
    try {
      top = editor.view.coordsAtPos(Math.min(pos, editor.state.doc.content.size)).top - textTop;
    } catch {
      top = null;
    }
    cache.set(pos, top);
    return top;
  };
}

/** The live text's top in the viewport, or null while it is hidden. */
function liveTextTop(editor: Editor | null): number | null {
  if (!editor || editor.isDestroyed) return null;
  const rects = editor.view.dom.getClientRects();
  return rects.length === 0 ? null : (rects[0] as DOMRect).top;
}

/** The passage geometry of `editor`'s text; `isLive` once the text has synced and shows. */
export function usePassageGeometry(editor: Editor | null, isLive: boolean) {
  const [layoutVersion, setLayoutVersion] = useState(0);

  // The text's own edits move the passages after them.
  useEffect(() => {
    if (!editor) return;
    const onTransaction = ({ transaction }: { transaction: { docChanged: boolean } }) => {
      if (transaction.docChanged) setLayoutVersion((value) => value + 1);
    };
    editor.on("transaction", onTransaction);
    return () => {
      editor.off("transaction", onTransaction);
    };
  }, [editor]);

  useEffect(() => {
    const bump = () => setLayoutVersion((value) => value + 1);
    window.addEventListener("resize", bump);
    void document.fonts?.ready.then(bump);
    return () => window.removeEventListener("resize", bump);
  }, []);

  // The live text's box: it is hidden (no size) until the text has synced (showing it is a
  // change of size, so this covers the moment it goes live), then its height
  // changes as fonts, images and edits settle. Every change of its size moves the passages,
  // so the margin reads their tops again.
  const liveTextObserver = useRef<ResizeObserver | null>(null);
  const observeLiveText = useCallback((element: HTMLDivElement | null) => {
    liveTextObserver.current?.disconnect();
    liveTextObserver.current = null;
    if (!element || typeof ResizeObserver === "undefined") return;
    let lastSize: string | null = null;
    liveTextObserver.current = new ResizeObserver(([entry]) => {
      if (!entry) return;
      const size = `${entry.contentRect.width}x${entry.contentRect.height}`;
      if (size === lastSize) return;
      lastSize = size;
      setLayoutVersion((value) => value + 1);
    });
    liveTextObserver.current.observe(element);
  }, []);

  // What sits above the text or above the margin and changes height on its own (the status
  // line listing who is reading, the post-first notice) moves the text against the margin
  // without changing the text's layout. A re-render is what the margin needs: it reads where
  // the text stands after every render.
  const [, setAboveVersion] = useState(0);
  useEffect(() => {
    if (!isLive || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => setAboveVersion((value) => value + 1));
    for (const element of document.querySelectorAll(
      "#reading-column > .reading-status, #margin-column > .margin-notices",
    ))
      observer.observe(element);
    return () => observer.disconnect();
  }, [isLive]);

  // Passage tops by text position, read once per position until the layout may have changed
  // (thousands of cards sit on far fewer positions; each read asks the browser for a range's rects).
  const topOf = useMemo(() => {
    void layoutVersion;
    return passageTops(editor);
  }, [editor, layoutVersion]);
  const textTop = useCallback(() => liveTextTop(editor), [editor]);
  // The paragraph a position lies in (the position before its innermost textblock): dense
  // paragraphs stack their cards. Not the top-level block: the essay's notes are one list,
  // and every note's threads made one stack of thousands.
  const blockOf = useCallback(
    (pos: number) => {
      if (!editor || editor.isDestroyed) return 0;
      const doc = editor.state.doc;
      const $pos = doc.resolve(Math.min(pos, doc.content.size));
      return $pos.depth > 0 ? $pos.before($pos.depth) : $pos.pos;
    },
    [editor],
  );

  return { layoutVersion, observeLiveText, topOf, textTop, blockOf };
}
