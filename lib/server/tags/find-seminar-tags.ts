import { z } from "zod";
import type { SeminarTag } from "@/lib/shared/comments/tags";
import { db } from "../db";
import { parseInput } from "../parse-input";
import type { Actor } from "../policies";
import { requireSeminar } from "../policies/require";
import { getTagVisibility, visibleTaggedComments } from "./visible-tags";

const ZSeminarTagsQuery = z.object({
  /** One reading's tags only. */
  documentId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, "Not a valid document id.")
    .optional(),
});

/**
 * A seminar's tags as the viewer may see them (visible-tags.ts), each with how
 * many comments carry it, most used first, then by name: the composer's `#`
 * suggestions and the filters' choices. `documentId` narrows them to one reading.
 */
export async function findSeminarTags(
  actor: Actor,
  seminarId: string,
  input: unknown = {},
): Promise<SeminarTag[]> {
  const access = await requireSeminar(actor, seminarId);
  const options = parseInput(ZSeminarTagsQuery, input ?? {}, { fallback: "Check the query." });
  const visibility = await getTagVisibility(seminarId, access.actor.userId);
  const rows = await db.comment.findMany({
    where: {
      AND: [{ tags: { isEmpty: false } }, visibleTaggedComments(seminarId, visibility, options.documentId)],
    },
    select: { tags: true },
  });
  const counts = new Map<string, number>();
  for (const row of rows) for (const tag of row.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  return [...counts]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}
