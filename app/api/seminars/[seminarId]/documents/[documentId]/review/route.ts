import { findReviewThreads } from "@/lib/server/review/find-review-threads";
import { handler } from "../../../../../_lib/handler";

type Params = { seminarId: string; documentId: string };

/** The reading's threads, filtered, searched and sorted by the query string (lib/shared/review/review-query.ts). */
export const GET = handler<Params>(async ({ request, actor, params }) =>
  findReviewThreads(
    actor,
    params.seminarId,
    params.documentId,
    Object.fromEntries(request.nextUrl.searchParams),
  ),
);
