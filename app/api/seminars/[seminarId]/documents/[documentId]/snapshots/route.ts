import { findSnapshots } from "@/lib/server/snapshots/find-snapshots";
import { takeSnapshot } from "@/lib/server/snapshots/take-snapshot";
import { handler, readJson } from "../../../../../_lib/handler";

type Params = { seminarId: string; documentId: string };

/** The reading's discussion snapshots, newest first (members). */
export const GET = handler<Params>(async ({ actor, params }) => ({
  snapshots: await findSnapshots(actor, params.seminarId, params.documentId),
}));

/** Takes a named snapshot of the discussion now (instructors). 201 means stored. */
export const POST = handler<Params>(
  async ({ request, actor, params }) =>
    takeSnapshot(actor, params.seminarId, params.documentId, await readJson(request)),
  { status: 201 },
);
