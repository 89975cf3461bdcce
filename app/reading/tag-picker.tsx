"use client";

import type { Editor } from "@tiptap/core";
import { useCallback } from "react";
import { findTagQuery } from "@/lib/client/editor/tag";
import { normalizeTag } from "@/lib/shared/comments/tags";
import { useInlinePicker, type InlinePicker } from "./inline-picker";
import { useTagSuggestions } from "./tag-suggestions";

/** An option of the list: an existing tag, or the one being typed when it is new. */
type TagOption = { name: string; isNew: boolean };

const keyOf = (option: TagOption) => option.name;
const render = (option: TagOption) =>
  option.isNew ? (
    <>
      #{option.name} <span className="mention-option-note">new tag</span>
    </>
  ) : (
    `#${option.name}`
  );
const contentOf = (option: TagOption) => [
  { type: "tag", attrs: { name: option.name } },
  { type: "text", text: " " },
];

/**
 * Typing `#` in a comment offers the seminar's tags that start with what follows
 * it (inline-picker.tsx: ↑/↓, Enter or Tab, Escape, a click), and the typed
 * word itself as a new tag when it is a valid one that nobody has used yet.
 */
export function useTagPicker(editor: Editor | null): InlinePicker {
  const suggestions = useTagSuggestions();
  const optionsFor = useCallback(
    (query: string): TagOption[] => {
      const typed = query === "" ? null : normalizeTag(query);
      if (query !== "" && !typed) return [];
      const known = suggestions
        .filter((name) => typed === null || name.startsWith(typed))
        .map((name) => ({ name, isNew: false }));
      // The new tag is always offered, after the known ones (the list shows eight at most).
      return typed && !suggestions.includes(typed)
        ? [...known.slice(0, 7), { name: typed, isNew: true }]
        : known;
    },
    [suggestions],
  );
  return useInlinePicker(editor, {
    findQuery: findTagQuery,
    optionsFor,
    keyOf,
    render,
    contentOf,
    label: "Tag this comment",
    isEnabled: true,
  });
}
