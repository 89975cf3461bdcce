import { getReadingGrades } from "@/lib/server/grades/get-reading-grades";
import { setRubric } from "@/lib/server/grades/set-grades";
import { handler, readJson } from "../../../../../_lib/handler";

type Params = { seminarId: string; documentId: string };

/** The reading's rubric and scores: every student's for instructors, one's own for a student. */
export const GET = handler<Params>(async ({ actor, params }) =>
  getReadingGrades(actor, params.seminarId, params.documentId),
);

/** Sets the reading's rubric (instructors). */
export const PUT = handler<Params>(async ({ request, actor, params }) => ({
  rubric: await setRubric(actor, params.seminarId, params.documentId, await readJson(request)),
}));
