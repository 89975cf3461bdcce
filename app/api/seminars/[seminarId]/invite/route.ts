import { regenerateInvite } from "@/lib/server/seminars/regenerate-invite";
import { handler, readJson } from "../../../_lib/handler";

type Params = { seminarId: string };

/** Replaces the invite link (optionally expiring); the old one stops working. */
export const POST = handler<Params>(async ({ request, actor, params }) => ({
  invite: await regenerateInvite(actor, params.seminarId, await readJson(request)),
}));
