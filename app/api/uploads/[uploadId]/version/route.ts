import { getVersionPlan, replaceDocumentVersion } from "@/lib/server/uploads/replace-document-version";
import { handler } from "../../../_lib/handler";

type Params = { uploadId: string };

/** The dry run of a new version: how many annotations move, re-anchor and detach. */
export const GET = handler<Params>(async ({ actor, params }) => ({
  plan: await getVersionPlan(actor, params.uploadId),
}));

/** Confirms the new version. */
export const POST = handler<Params>(
  async ({ actor, params }) => replaceDocumentVersion(actor, params.uploadId),
  { status: 201 },
);
