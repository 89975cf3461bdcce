import { publishUpload } from "@/lib/server/uploads/publish-upload";
import { handler, readJson } from "../../../_lib/handler";

type Params = { uploadId: string };

/**
 * Publishes the upload: a text in "My texts", and a reading of a seminar when one is named;
 * with `chapterRanges` (a book's), one text and reading per range of chapters.
 */
export const POST = handler<Params>(
  async ({ request, actor, params }) => publishUpload(actor, params.uploadId, await readJson(request)),
  { status: 201 },
);
