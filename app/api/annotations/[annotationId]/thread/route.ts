import { getThread } from "@/lib/server/annotations/get-thread";
import { handler } from "../../../_lib/handler";

type Params = { annotationId: string };

/** A thread's full body (every comment the reader may see); the seminar room carries its first comment only. */
export const GET = handler<Params>(async ({ actor, params }) => getThread(actor, params.annotationId));
