"use client";

import type { Editor } from "@tiptap/core";
import { useCallback, useEffect, useId, useMemo, useRef, useState, type ReactNode } from "react";
import { findMentionQuery, type MentionQuery } from "@/lib/client/editor/mention";
import { useMentionCandidates, type MentionCandidate } from "./mention-candidates";

/** Most people offered at once. */
const MAX_OFFERED = 8;

function matches(candidate: MentionCandidate, query: string): boolean {
  const q = query.trim().toLocaleLowerCase();
  if (q === "") return true;
  const name = candidate.name.toLocaleLowerCase();
  return name.startsWith(q) || name.split(/\s+/).some((word) => word.startsWith(q));
}

/**
 * Typing `@` in a comment offers the seminar's members: a listbox under the
 * editor, driven from the editor as a combobox (aria-autocomplete="list",
 * aria-expanded, aria-controls and aria-activedescendant on the editable
 * area), so focus stays in the text while ↑/↓ move through the options,
 * Enter or Tab picks one, Escape closes the list; a click picks one too.
 * The editable area keeps its textbox role (a multi-line editor is not an
 * input a screen reader should treat as a single-line combobox).
 *
 * Returns the key handler the composer's keyboard extension calls first,
 * and the listbox to render under the editor.
 */
export function useMentionPicker(editor: Editor | null): {
  onKey: (key: string) => boolean;
  listbox: ReactNode;
} {
  const candidates = useMentionCandidates();
  const listId = useId();
  const [query, setQuery] = useState<MentionQuery | null>(null);
  const [active, setActive] = useState(0);
  const [isDismissed, setDismissed] = useState(false);

  const offered = useMemo(
    () =>
      query ? candidates.filter((candidate) => matches(candidate, query.query)).slice(0, MAX_OFFERED) : [],
    [candidates, query],
  );
  const isOpen = !isDismissed && query !== null && offered.length > 0;
  const activeIndex = Math.min(active, Math.max(offered.length - 1, 0));
  const optionId = (index: number) => `${listId}-option-${index}`;

  useEffect(() => {
    if (!editor || candidates.length === 0) return;
    const follow = () => {
      const next = findMentionQuery(editor);
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
  }, [editor, candidates.length]);

  // The combobox attributes live on the editable element itself.
  useEffect(() => {
    if (!editor || editor.isDestroyed || candidates.length === 0) return;
    const dom = editor.view.dom;
    dom.setAttribute("aria-autocomplete", "list");
    dom.setAttribute("aria-expanded", String(isOpen));
    if (isOpen) {
      dom.setAttribute("aria-controls", listId);
      dom.setAttribute("aria-activedescendant", optionId(activeIndex));
    } else {
      dom.removeAttribute("aria-controls");
      dom.removeAttribute("aria-activedescendant");
    }
  });

  const choose = useCallback(
    (candidate: MentionCandidate) => {
      if (!editor || !query) return;
      editor
        .chain()
        .focus()
        .insertContentAt({ from: query.from, to: query.to }, [
          { type: "mention", attrs: { id: candidate.id, label: candidate.name } },
          { type: "text", text: " " },
        ])
        .run();
      setQuery(null);
    },
    [editor, query],
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
        const candidate = current.offered[current.activeIndex];
        if (candidate) current.choose(candidate);
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
    <ul className="mention-listbox" role="listbox" id={listId} aria-label="Mention a member">
      {offered.map((candidate, index) => (
        <li
          key={candidate.id}
          id={optionId(index)}
          role="option"
          aria-selected={index === activeIndex}
          className={index === activeIndex ? "mention-option mention-option-active" : "mention-option"}
          // mousedown, not click: the editor keeps focus and its selection.
          onMouseDown={(event) => {
            event.preventDefault();
            choose(candidate);
          }}
          onMouseEnter={() => setActive(index)}
        >
          {candidate.name}
        </li>
      ))}
    </ul>
  ) : null;

  return { onKey, listbox };
}
