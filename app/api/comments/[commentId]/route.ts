import { deleteComment } from "@/lib/server/annotations/delete-comment";
import { getHiddenComment } from "@/lib/server/annotations/get-hidden-comment";
import { updateComment } from "@/lib/server/annotations/update-comment";
import { handler, readJson } from "../../_lib/handler";

type Params = { commentId: string };

/** A hidden comment's words, for instructors (students get 403). */
export const GET = handler<Params>(async ({ actor, params }) => getHiddenComment(actor, params.commentId));

/** Edits a comment, or hides / shows it. */
export const PATCH = handler<Params>(async ({ request, actor, params }) =>
  updateComment(actor, params.commentId, await readJson(request)),
);

/** Deletes a comment (it keeps its place in the thread). */
export const DELETE = handler<Params>(async ({ actor, params }) => deleteComment(actor, params.commentId));
