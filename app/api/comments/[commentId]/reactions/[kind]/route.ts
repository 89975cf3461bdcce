import { setReaction } from "@/lib/server/annotations/react-to-comment";
import { handler } from "../../../../_lib/handler";

type Params = { commentId: string; kind: string };

/** Marks a comment "helpful" or "same-question" for the signed-in member (again changes nothing). */
export const POST = handler<Params>(async ({ actor, params }) =>
  setReaction(actor, params.commentId, params.kind, true),
);

/** Takes the signed-in member's reaction back. */
export const DELETE = handler<Params>(async ({ actor, params }) =>
  setReaction(actor, params.commentId, params.kind, false),
);
