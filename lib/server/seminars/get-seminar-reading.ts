import { db } from "../db";
import { documentPolicy, seminarPolicy, type Actor } from "../policies";
import { getDocumentAccess } from "../policies/load-access";
import { requireSeminar } from "../policies/require";
import { requireReading } from "./require-reading";
import { getPostFirstGate } from "../post-first/get-post-first-gate";
import { findSeminarTags } from "../tags/find-seminar-tags";

/** A reading of a seminar, with the text, for the seminar's reading page. */
export async function getSeminarReading(actor: Actor, seminarId: string, documentId: string) {
  const access = await requireSeminar(actor, seminarId);
  const reading = await requireReading(seminarId, documentId, {
    id: true,
    dueAt: true,
    instruction: true,
    seminar: { select: { id: true, title: true } },
    document: { select: { id: true, slug: true, title: true, byline: true, source: true, content: true } },
  });
  const document = await getDocumentAccess(access.actor, documentId);
  const categories = await db.category.findMany({
    where: { seminarId },
    orderBy: { position: "asc" },
    select: { id: true, name: true, color: true },
  });
  // Whom a comment may @mention: the seminar's members, by name.
  const members = (
    await db.membership.findMany({
      where: { seminarId },
      select: { user: { select: { id: true, name: true } } },
    })
  )
    .map((membership) => membership.user)
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    ...reading,
    members,
    /** The seminar's tags the viewer may see, most used first (offered after `#`). */
    tags: (await findSeminarTags(actor, seminarId)).map((tag) => tag.name),
    role: access.role,
    viewerId: access.actor.userId,
    viewerName: (
      await db.user.findUniqueOrThrow({ where: { id: access.actor.userId }, select: { name: true } })
    ).name,
    categories,
    /** Post first, then see: whether the viewer still must (docs/adr/0019). */
    gate: await getPostFirstGate(seminarId, documentId, access.actor.userId),
    can: {
      editText: document ? documentPolicy.edit(document) : false,
      /** A library text: "Edit a copy for this seminar" (docs/adr/0026). */
      copyText: document ? documentPolicy.copyForSeminar(document, access) : false,
      guide: seminarPolicy.guide(access),
      moderate: seminarPolicy.moderate(access),
      export: seminarPolicy.export(access),
      review: seminarPolicy.review(access),
    },
  };
}
