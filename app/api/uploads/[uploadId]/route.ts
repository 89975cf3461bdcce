import { deleteUpload } from "@/lib/server/uploads/delete-upload";
import { getUpload } from "@/lib/server/uploads/get-upload";
import { updateUpload } from "@/lib/server/uploads/update-upload";
import { handler, readJson } from "../../_lib/handler";

type Params = { uploadId: string };

/** The preview of an upload. */
export const GET = handler<Params>(async ({ actor, params }) => ({
  upload: await getUpload(actor, params.uploadId),
}));

/** Changes the preview's title, author, source line or date. */
export const PATCH = handler<Params>(async ({ request, actor, params }) => ({
  upload: await updateUpload(actor, params.uploadId, await readJson(request)),
}));

/** Discards the upload. */
export const DELETE = handler<Params>(async ({ actor, params }) => {
  await deleteUpload(actor, params.uploadId);
  return { ok: true };
});
