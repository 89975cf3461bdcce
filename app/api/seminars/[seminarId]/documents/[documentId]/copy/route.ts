import { createReadingCopy } from "@/lib/server/seminars/create-reading-copy";
import { handler } from "../../../../../_lib/handler";

type Params = { seminarId: string; documentId: string };

/**
 * Replaces the seminar's reading of a library text by a copy the instructor owns and
 * edits (docs/adr/0026). 201 with the copy's `documentId`: everything the seminar made
 * on the text is on the copy.
 */
export const POST = handler<Params>(
  async ({ actor, params }) => createReadingCopy(actor, params.seminarId, params.documentId),
  { status: 201 },
);
