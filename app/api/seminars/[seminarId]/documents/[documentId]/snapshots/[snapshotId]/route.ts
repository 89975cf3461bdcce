import { getSnapshot } from "@/lib/server/snapshots/get-snapshot";
import { handler } from "../../../../../../_lib/handler";

type Params = { seminarId: string; documentId: string; snapshotId: string };

/** One snapshot: its threads as they were, placed in the current text (members). */
export const GET = handler<Params>(async ({ actor, params }) =>
  getSnapshot(actor, params.seminarId, params.documentId, params.snapshotId),
);
