import { db } from "../db";

/** The public library, for the home page: newest first, without content. */
export async function findLibraryDocuments() {
  return db.document.findMany({
    where: { isPublic: true },
    orderBy: { createdAt: "desc" },
    select: { id: true, slug: true, title: true, byline: true, source: true },
  });
}
