import { getParticipation } from "@/lib/server/review/get-participation";
import { handler } from "../../../../../_lib/handler";

type Params = { seminarId: string; documentId: string };

/** Per member and per paragraph activity on the reading (instructors). */
export const GET = handler<Params>(async ({ actor, params }) =>
  getParticipation(actor, params.seminarId, params.documentId),
);
