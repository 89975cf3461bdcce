import { removeReading } from "@/lib/server/seminars/remove-reading";
import { updateReading } from "@/lib/server/seminars/update-reading";
import { handler, readJson } from "../../../../_lib/handler";

type Params = { seminarId: string; readingId: string };

/** Changes a reading's due date or instruction. */
export const PATCH = handler<Params>(async ({ request, actor, params }) => ({
  reading: await updateReading(actor, params.seminarId, params.readingId, await readJson(request)),
}));

/** Removes a reading. */
export const DELETE = handler<Params>(async ({ actor, params }) => {
  await removeReading(actor, params.seminarId, params.readingId);
  return { ok: true };
});
