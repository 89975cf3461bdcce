"use client";

import { createContext, useContext } from "react";

/** A person the composer offers after `@`. */
export type MentionCandidate = {
  /** Their user id. */
  id: string;
  /** Their name. */
  name: string;
};

/** The seminar's members, for the composers of the reading page; empty elsewhere. */
export const MentionCandidatesContext = createContext<readonly MentionCandidate[]>([]);

/** The members the composer may offer. */
export function useMentionCandidates(): readonly MentionCandidate[] {
  return useContext(MentionCandidatesContext);
}
