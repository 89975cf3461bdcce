/** A highlight category as a seminar starts with. */
export type CategorySeed = { name: string; color: string };

/**
 * The categories a new seminar starts with. Colours are light enough to lie
 * under text (contrast of the text on them stays above 7:1) and distinct for
 * the common forms of colour blindness.
 */
export const DEFAULT_CATEGORIES: CategorySeed[] = [
  { name: "Key claim", color: "#f6d365" },
  { name: "Evidence", color: "#9fd9c6" },
  { name: "Question", color: "#b9c8f5" },
  { name: "Context", color: "#f2b8c6" },
];
