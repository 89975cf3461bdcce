import { assignReading } from "@/lib/server/seminars/assign-reading";
import { handler, readJson } from "../../../_lib/handler";

type Params = { seminarId: string };

/** Assigns a reading. */
export const POST = handler<Params>(
  async ({ request, actor, params }) => ({
    reading: await assignReading(actor, params.seminarId, await readJson(request)),
  }),
  { status: 201 },
);
