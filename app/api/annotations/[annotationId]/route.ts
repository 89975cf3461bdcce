import { deleteAnnotation } from "@/lib/server/annotations/delete-annotation";
import { updateAnnotation } from "@/lib/server/annotations/update-annotation";
import { handler, readJson } from "../../_lib/handler";

type Params = { annotationId: string };

/** Changes category, pin, or resolution. */
export const PATCH = handler<Params>(async ({ request, actor, params }) =>
  updateAnnotation(actor, params.annotationId, await readJson(request)),
);

/** Deletes an annotation and its thread from the margin. */
export const DELETE = handler<Params>(async ({ actor, params }) =>
  deleteAnnotation(actor, params.annotationId),
);
