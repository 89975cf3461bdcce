import { createComment } from "@/lib/server/annotations/create-comment";
import { handler, readJson } from "../../../_lib/handler";

type Params = { annotationId: string };

/** Replies in a thread. */
export const POST = handler<Params>(
  async ({ request, actor, params }) => createComment(actor, params.annotationId, await readJson(request)),
  { status: 201 },
);
