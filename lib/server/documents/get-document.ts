import { db } from "../db";
import { documentPolicy, type Actor } from "../policies";
import { getDocumentAccess } from "../policies/load-access";

/** A document with its content, by slug, if the actor may read it; null otherwise (as if it did not exist). */
export async function getDocumentBySlug(actor: Actor, slug: string) {
  const document = await db.document.findUnique({
    where: { slug },
    select: { id: true, slug: true, title: true, byline: true, source: true, content: true, version: true },
  });
  if (!document) return null;
  const access = await getDocumentAccess(actor, document.id);
  return access && documentPolicy.view(access) ? document : null;
}
