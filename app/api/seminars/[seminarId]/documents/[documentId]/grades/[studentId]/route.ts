import { clearOverride, overrideScore } from "@/lib/server/grades/set-grades";
import { handler, readJson } from "../../../../../../_lib/handler";

type Params = { seminarId: string; documentId: string; studentId: string };

/** Overrides a student's score: `{ score, reason }` (instructors). */
export const PUT = handler<Params>(async ({ request, actor, params }) => ({
  override: await overrideScore(
    actor,
    params.seminarId,
    params.documentId,
    params.studentId,
    await readJson(request),
  ),
}));

/** Removes the override: the computed score counts again (instructors). */
export const DELETE = handler<Params>(async ({ actor, params }) =>
  clearOverride(actor, params.seminarId, params.documentId, params.studentId),
);
