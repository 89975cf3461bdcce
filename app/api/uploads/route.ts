import { AppError } from "@/lib/shared/errors";
import { createUpload } from "@/lib/server/uploads/create-upload";
import { MAX_UPLOAD_BYTES, uploadTooLargeMessage } from "@/lib/shared/validation/uploads";
import { handler, readBytes } from "../_lib/handler";

/**
 * Uploads a file (or pasted text) as the raw request body; `?name=` says its
 * file name, `?replaces=` the text it is a new version of, `?ocr=1` asks for
 * text recognition of a scanned PDF, `?job=` names the conversion so the
 * browser can poll its progress (`/api/uploads/jobs/:job`). Answers the new preview's id.
 */
export const POST = handler(
  async ({ request, actor }) => {
    const url = new URL(request.url);
    // Refused before anything is read into memory.
    if (!actor) throw new AppError("unauthenticated", "Sign in first.");
    const bytes = await readBytes(request, MAX_UPLOAD_BYTES, uploadTooLargeMessage());
    const upload = await createUpload(
      actor,
      {
        bytes,
        filename: url.searchParams.get("name") ?? "",
        mediaType: request.headers.get("content-type") ?? undefined,
        replacesDocumentId: url.searchParams.get("replaces"),
        jobId: url.searchParams.get("job"),
      },
      { ocr: url.searchParams.get("ocr") === "1" },
    );
    return { upload };
  },
  { status: 201 },
);
