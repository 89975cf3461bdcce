import { findSeminarTags } from "@/lib/server/tags/find-seminar-tags";
import { handler } from "../../../_lib/handler";

type Params = { seminarId: string };

/** The seminar's tags the viewer may see, most used first (`?documentId=` narrows to one reading). */
export const GET = handler<Params>(async ({ request, actor, params }) => ({
  tags: await findSeminarTags(actor, params.seminarId, Object.fromEntries(request.nextUrl.searchParams)),
}));
