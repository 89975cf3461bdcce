import { db } from "../db";

/** Every document, for the library list: newest first, without their content. */
export async function findDocuments() {
  return db.document.findMany({
    orderBy: { createdAt: "desc" },
    select: { id: true, slug: true, title: true, byline: true, source: true },
  });
}
