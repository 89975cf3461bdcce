import { createAnnotation } from "@/lib/server/annotations/create-annotation";
import { handler, readJson } from "../../../../../_lib/handler";

type Params = { seminarId: string; documentId: string };

/** Creates a highlight, a comment thread or a guiding question on a reading. 201 means committed. */
export const POST = handler<Params>(
  async ({ request, actor, params }) =>
    createAnnotation(actor, params.seminarId, params.documentId, await readJson(request)),
  { status: 201 },
);
