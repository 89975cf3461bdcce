import { db } from "../db";
import type { Actor } from "../policies";
import { getUpload } from "./get-upload";
import { getVersionPlan } from "./replace-document-version";

/** What the preview page shows: the upload, where it may be published, and a new version's plan. */
export async function getUploadPage(actor: Actor, uploadId: string) {
  const upload = await getUpload(actor, uploadId);
  const seminars = actor
    ? await db.seminar.findMany({
        where: { memberships: { some: { userId: actor.userId, role: "INSTRUCTOR" } } },
        orderBy: { title: "asc" },
        select: { id: true, title: true },
      })
    : [];
  const versionPlan = upload.replacesDocumentId ? await getVersionPlan(actor, uploadId) : null;
  return { upload, seminars, versionPlan };
}
