"use client";

import { createContext, useContext } from "react";

/**
 * The tags the composer offers after `#`, most used first: the seminar's tags the
 * reader may see (from the server when the page loaded) and then those in the
 * threads now in their margin. Empty outside the reading page.
 */
export const TagSuggestionsContext = createContext<readonly string[]>([]);

/** The tags the composer may offer. */
export function useTagSuggestions(): readonly string[] {
  return useContext(TagSuggestionsContext);
}
