import { getConversionProgress } from "@/lib/server/uploads/conversion-progress";
import { handler } from "../../../_lib/handler";

type Params = { jobId: string };

/** How far the caller's conversion has got: `{ stage, fraction }`; 404 before it starts and after it ends. */
export const GET = handler<Params>(async ({ actor, params }) => ({
  progress: await getConversionProgress(actor, params.jobId),
}));
