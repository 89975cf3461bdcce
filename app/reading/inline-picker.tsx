"use client";

import type { Editor, JSONContent } from "@tiptap/core";
import { useCallback, useEffect, useId, useMemo, useRef, useState, type ReactNode } from "react";
import type { InlineQuery } from "@/lib/client/editor/inline-atom";

/** Most options offered at once. */
const MAX_OFFERED = 8;

/** One kind of list the editor can drive: members after `@`, tags after `#`. */
export type InlinePickerConfig<Option> = {
  /** The query at the cursor, or null when this picker has nothing to do. */
  findQuery: (editor: Editor) => InlineQuery | null;
  /** The options for a query, best first (at most {@link MAX_OFFERED} are shown). */
  optionsFor: (query: string) => Option[];
  /** A stable key of an option. */
  keyOf: (option: Option) => string;
  /** What an option shows. */
  render: (option: Option) => ReactNode;
  /** The nodes that replace the query when an option is picked. */
  contentOf: (option: Option) => JSONContent[];
  /** The listbox's accessible name ("Mention a member"). */
  label: string;
  /** False while there is nothing this picker could ever offer (no members, say). */
  isEnabled: boolean;
};

/** What {@link useInlinePicker} gives the composer. */
export type InlinePicker = {
  /** Handles ↑ ↓ Enter Tab Escape while the list is open; false when the key is not its. */
  onKey: (key: string) => boolean;
  /** The listbox to render under the editor, or null. */
  listbox: ReactNode;
  /** Whether the list is showing. */
  isOpen: boolean;
  /** The listbox's id. */
  listId: string;
  /** The id of the highlighted option (for aria-activedescendant). */
  activeOptionId: string;
  /** Whether the picker may open at all. */
  isEnabled: boolean;
};

/**
 * A list of options driven from the comment editor as a combobox: focus stays
 * in the text while ↑/↓ move through the options, Enter or Tab picks one,
 * Escape closes the list; a click picks one too. The attributes that tie the
 * list to the text (aria-autocomplete, aria-haspopup, aria-controls,
 * aria-activedescendant) go on the editable element, set by {@link useComboboxAttributes} from all
 * of the composer's pickers, since one element can only point at one list.
 * The editable area keeps its textbox role (a multi-line editor is not an
 * input a screen reader should treat as a single-line combobox).
 */
export function useInlinePicker<Option>(
  editor: Editor | null,
  config: InlinePickerConfig<Option>,
): InlinePicker {
  const { findQuery, optionsFor, keyOf, render, contentOf, label, isEnabled } = config;
  const listId = useId();
  const [query, setQuery] = useState<InlineQuery | null>(null);
  const [active, setActive] = useState(0);
  const [isDismissed, setDismissed] = useState(false);

  const offered = useMemo(
    () => (query ? optionsFor(query.query).slice(0, MAX_OFFERED) : []),
    [optionsFor, query],
  );
  const isOpen = !isDismissed && query !== null && offered.length > 0;
  const activeIndex = Math.min(active, Math.max(offered.length - 1, 0));
  const optionId = useCallback((index: number) => `${listId}-option-${index}`, [listId]);

  useEffect(() => {
    if (!editor || !isEnabled) return;
    const follow = () => {
      const next = findQuery(editor);
      setQuery((previous) => {
        if (!next || previous?.from !== next.from) {
          setActive(0);
          setDismissed(false);
        }
        return next;
      });
    };
    editor.on("transaction", follow);
    return () => {
      editor.off("transaction", follow);
    };
  }, [editor, isEnabled, findQuery]);

  const choose = useCallback(
    (option: Option) => {
      if (!editor || !query) return;
      editor.chain().focus().insertContentAt({ from: query.from, to: query.to }, contentOf(option)).run();
      setQuery(null);
    },
    [editor, query, contentOf],
  );

  const state = useRef({ isOpen, offered, activeIndex, choose });
  useEffect(() => {
    state.current = { isOpen, offered, activeIndex, choose };
  });

  const onKey = useCallback((key: string): boolean => {
    const current = state.current;
    if (!current.isOpen) return false;
    switch (key) {
      case "ArrowDown":
        setActive((current.activeIndex + 1) % current.offered.length);
        return true;
      case "ArrowUp":
        setActive((current.activeIndex - 1 + current.offered.length) % current.offered.length);
        return true;
      case "Enter":
      case "Tab": {
        const option = current.offered[current.activeIndex];
        if (option !== undefined) current.choose(option);
        return true;
      }
      case "Escape":
        setDismissed(true);
        return true;
      default:
        return false;
    }
  }, []);

  const listbox = isOpen ? (
    <ul className="mention-listbox" role="listbox" id={listId} aria-label={label}>
      {offered.map((option, index) => (
        <li
          key={keyOf(option)}
          id={optionId(index)}
          role="option"
          aria-selected={index === activeIndex}
          className={index === activeIndex ? "mention-option mention-option-active" : "mention-option"}
          // mousedown, not click: the editor keeps focus and its selection.
          onMouseDown={(event) => {
            event.preventDefault();
            choose(option);
          }}
          onMouseEnter={() => setActive(index)}
        >
          {render(option)}
        </li>
      ))}
    </ul>
  ) : null;

  return { onKey, listbox, isOpen, listId, activeOptionId: optionId(activeIndex), isEnabled };
}

/** Puts the combobox attributes of whichever picker is open on the editable element. */
export function useComboboxAttributes(editor: Editor | null, pickers: readonly InlinePicker[]): void {
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    const dom = editor.view.dom;
    if (!pickers.some((picker) => picker.isEnabled)) return;
    const open = pickers.find((picker) => picker.isOpen);
    // A textbox takes aria-autocomplete, aria-haspopup, aria-controls and
    // aria-activedescendant, but not aria-expanded (axe: aria-allowed-attr); the
    // list's presence is told by aria-controls pointing at it.
    dom.setAttribute("aria-autocomplete", "list");
    dom.setAttribute("aria-haspopup", "listbox");
    if (open) {
      dom.setAttribute("aria-controls", open.listId);
      dom.setAttribute("aria-activedescendant", open.activeOptionId);
    } else {
      dom.removeAttribute("aria-controls");
      dom.removeAttribute("aria-activedescendant");
    }
  });
}
