import { removeMember } from "@/lib/server/seminars/remove-member";
import { updateMemberRole } from "@/lib/server/seminars/update-member-role";
import { handler, readJson } from "../../../../_lib/handler";

type Params = { seminarId: string; userId: string };

/** Changes a member's role. */
export const PATCH = handler<Params>(async ({ request, actor, params }) =>
  updateMemberRole(actor, params.seminarId, params.userId, await readJson(request)),
);

/** Removes a member, or leaves (when it is yourself). */
export const DELETE = handler<Params>(async ({ actor, params }) =>
  removeMember(actor, params.seminarId, params.userId),
);
