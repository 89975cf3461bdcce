import { buildGradebook } from "@/lib/server/grades/gradebook";
import { handler } from "../../../_lib/handler";

type Params = { seminarId: string };

/** Downloads the seminar's gradebook CSV (instructors). */
export const GET = handler<Params>(async ({ actor, params }) => {
  const file = await buildGradebook(actor, params.seminarId);
  return new Response(file.body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Content-Length": String(Buffer.byteLength(file.body)),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
