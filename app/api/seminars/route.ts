import { createSeminar } from "@/lib/server/seminars/create-seminar";
import { findMySeminars } from "@/lib/server/seminars/find-my-seminars";
import { handler, readJson } from "../_lib/handler";

/** My seminars with their readings. */
export const GET = handler(async ({ actor }) => ({ seminars: await findMySeminars(actor) }));

/** Creates a seminar; the caller becomes its instructor. */
export const POST = handler(
  async ({ request, actor }) => ({ seminar: await createSeminar(actor, await readJson(request)) }),
  {
    status: 201,
  },
);
