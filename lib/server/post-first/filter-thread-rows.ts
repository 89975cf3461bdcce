import { isVisibleBeforePosting } from "@/lib/shared/post-first/post-first";

/**
 * The review rows a student who must post first may see (docs/adr/0019): threads by
 * instructors or by the viewer, each with only instructors' and the viewer's comments,
 * so counts, excerpts and search never reflect a classmate's words.
 */
export function filterRowsBeforePosting<Row extends { authorId: string; comments: { authorId: string }[] }>(
  rows: Row[],
  roleOf: Map<string, string | null>,
  viewerId: string,
): Row[] {
  const writer = (id: string) => ({ id, role: roleOf.get(id) ?? null });
  return rows
    .filter((row) => isVisibleBeforePosting(writer(row.authorId), viewerId))
    .map((row) => ({
      ...row,
      comments: row.comments.filter((comment) => isVisibleBeforePosting(writer(comment.authorId), viewerId)),
    }));
}
