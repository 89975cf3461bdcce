import { getSeminar } from "@/lib/server/seminars/get-seminar";
import { handler } from "../../_lib/handler";

type Params = { seminarId: string };

/** The seminar as its members see it. */
export const GET = handler<Params>(async ({ actor, params }) => ({
  seminar: await getSeminar(actor, params.seminarId),
}));
