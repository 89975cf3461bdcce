import { createHash } from "node:crypto";
import { importText } from "@/lib/shared/documents/import-text";
import { db } from "../db";

/** What {@link importDocument} did. */
export type ImportOutcome = "created" | "updated" | "unchanged";

/**
 * Imports a text in the plain format as the document `slug`. Idempotent: the
 * source's SHA-256 is the document's version, so the same file twice changes
 * nothing. Library texts (`isPublic`) may be read by anyone. Throws an AppError naming the line for a file that does not fit.
 */
export async function importDocument(input: { slug: string; raw: string; isPublic?: boolean }) {
  const version = createHash("sha256").update(input.raw).digest("hex");
  const existing = await db.document.findUnique({
    where: { slug: input.slug },
    select: { id: true, version: true },
  });
  if (existing?.version === version) return { id: existing.id, outcome: "unchanged" as ImportOutcome };

  const imported = importText(input.raw);
  const data = {
    title: imported.title,
    byline: imported.byline,
    source: imported.source.line,
    content: imported.content as object,
    plainText: imported.plainText,
    offsetMap: imported.offsetMap,
    version,
    isPublic: input.isPublic ?? false,
  };
  const document = await db.document.upsert({
    where: { slug: input.slug },
    create: { slug: input.slug, ...data },
    update: data,
    select: { id: true },
  });
  return { id: document.id, outcome: (existing ? "updated" : "created") as ImportOutcome };
}
