"use client";

import type { Editor } from "@tiptap/core";
import { useCallback } from "react";
import { findMentionQuery } from "@/lib/client/editor/mention";
import { useInlinePicker, type InlinePicker } from "./inline-picker";
import { useMentionCandidates, type MentionCandidate } from "./mention-candidates";

function matches(candidate: MentionCandidate, query: string): boolean {
  const q = query.trim().toLocaleLowerCase();
  if (q === "") return true;
  const name = candidate.name.toLocaleLowerCase();
  return name.startsWith(q) || name.split(/\s+/).some((word) => word.startsWith(q));
}

const keyOf = (candidate: MentionCandidate) => candidate.id;
const render = (candidate: MentionCandidate) => candidate.name;
const contentOf = (candidate: MentionCandidate) => [
  { type: "mention", attrs: { id: candidate.id, label: candidate.name } },
  { type: "text", text: " " },
];

/**
 * Typing `@` in a comment offers the seminar's members (inline-picker.tsx):
 * ↑/↓ move, Enter or Tab picks, Escape closes, a click picks.
 */
export function useMentionPicker(editor: Editor | null): InlinePicker {
  const candidates = useMentionCandidates();
  const optionsFor = useCallback(
    (query: string) => candidates.filter((candidate) => matches(candidate, query)),
    [candidates],
  );
  return useInlinePicker(editor, {
    findQuery: findMentionQuery,
    optionsFor,
    keyOf,
    render,
    contentOf,
    label: "Mention a member",
    isEnabled: candidates.length > 0,
  });
}
