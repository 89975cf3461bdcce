import { createCategory } from "@/lib/server/categories/create-category";
import { handler, readJson } from "../../../_lib/handler";

type Params = { seminarId: string };

/** Adds a highlight category. */
export const POST = handler<Params>(
  async ({ request, actor, params }) => ({
    category: await createCategory(actor, params.seminarId, await readJson(request)),
  }),
  { status: 201 },
);
