import { deleteComment } from "@/lib/server/annotations/delete-comment";
import { updateComment } from "@/lib/server/annotations/update-comment";
import { handler, readJson } from "../../_lib/handler";

type Params = { commentId: string };

/** Edits a comment, or hides / shows it. */
export const PATCH = handler<Params>(async ({ request, actor, params }) =>
  updateComment(actor, params.commentId, await readJson(request)),
);

/** Deletes a comment (it keeps its place in the thread). */
export const DELETE = handler<Params>(async ({ actor, params }) => deleteComment(actor, params.commentId));
