import { db } from "../db";

/** One document with its content, by slug; null when there is none. */
export async function getDocumentBySlug(slug: string) {
  return db.document.findUnique({
    where: { slug },
    select: { id: true, slug: true, title: true, byline: true, source: true, content: true, version: true },
  });
}
