import type { StoredAnchor } from "@/lib/shared/anchors/anchor";
import { Prisma } from "../generated/prisma/client";
import { db } from "../db";
import { anchorFromColumns } from "./anchor-bytes";

/**
 * Asked for more anchors than this, {@link readAnchors} reads the reading's
 * anchors whole and keeps those asked for: one scan of the reading's rows
 * costs less than matching a list of thousands of ids (at 10,000 threads,
 * ~30 ms against ~110 ms through Prisma with an `IN` list).
 */
const READ_WHOLE_ABOVE = 500;

type AnchorTextRow = { id: string } & Parameters<typeof anchorFromColumns>[0];

/**
 * The anchors of a reading's shared threads, by id, in any order (an id that
 * names no thread of the reading is left out). The same anchors as
 * `anchorFromRow` makes of each row (anchor-bytes.ts), but encoded to
 * base64 by PostgreSQL and sent as text: the review places the anchors of
 * every thread when the text was not placed before (the first view of a
 * reading, or after an edit), and turning 20,000 byte columns into Buffers
 * and then into strings was half the time of reading them.
 */
export async function readAnchors(
  seminarId: string,
  documentId: string,
  ids: readonly string[],
): Promise<{ id: string; anchor: StoredAnchor }[]> {
  if (ids.length === 0) return [];
  const whole = ids.length > READ_WHOLE_ABOVE;
  // encode(…, 'base64') breaks its output into lines of 76 characters; translate joins them.
  const rows = await db.$queryRaw<AnchorTextRow[]>`
    SELECT "id",
      translate(encode("anchorStart", 'base64'), E'\n', '') AS "start",
      translate(encode("anchorEnd", 'base64'), E'\n', '') AS "end",
      "quoteExact", "quotePrefix", "quoteSuffix", "positionStart", "positionEnd"
    FROM "Annotation"
    WHERE "seminarId" = ${seminarId} AND "documentId" = ${documentId}
      ${whole ? Prisma.empty : Prisma.sql`AND "id" IN (${Prisma.join(ids)})`}`;
  const wanted = whole ? new Set(ids) : null;
  const anchors: { id: string; anchor: StoredAnchor }[] = [];
  for (const row of rows) {
    if (wanted && !wanted.has(row.id)) continue;
    anchors.push({ id: row.id, anchor: anchorFromColumns(row) });
  }
  return anchors;
}
