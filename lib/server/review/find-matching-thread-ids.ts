import { db } from "../db";

/**
 * Ids of a reading's shared threads whose quote or any visible comment
 * matches `q`, by PostgreSQL full-text search (English stemming: "exiles"
 * finds "exiled"; web search syntax: "a phrase", -word, or). The whole
 * search is matched against one text at a time, the quote or one comment,
 * which is what lets each text's GIN index answer it.
 *
 * Each text's words are read from its stored vector (`quoteSearch`,
 * `bodySearch`: generated columns, GIN-indexed; migration
 * 20261206210000_stored_search_vectors), so neither the index nor a scan
 * of a search matching most threads computes `to_tsvector` again. Deleted
 * comments are never searched, and hidden ones only for instructors
 * (`includeHidden`), who alone read their words: what a reader cannot see
 * must not be findable.
 */
export async function findMatchingThreadIds(
  seminarId: string,
  documentId: string,
  q: string,
  { includeHidden = false }: { includeHidden?: boolean } = {},
): Promise<Set<string>> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT a."id" FROM "Annotation" a
    WHERE a."seminarId" = ${seminarId} AND a."documentId" = ${documentId} AND a."deletedAt" IS NULL
      AND a."quoteSearch" @@ websearch_to_tsquery('english', ${q})
    UNION
    SELECT c."annotationId" FROM "Comment" c
    JOIN "Annotation" a ON a."id" = c."annotationId"
    WHERE a."seminarId" = ${seminarId} AND a."documentId" = ${documentId} AND a."deletedAt" IS NULL
      AND c."deletedAt" IS NULL AND (c."hiddenAt" IS NULL OR ${includeHidden})
      AND c."bodySearch" @@ websearch_to_tsquery('english', ${q})`;
  return new Set(rows.map((row) => row.id));
}
