import { deleteCategory } from "@/lib/server/categories/delete-category";
import { updateCategory } from "@/lib/server/categories/update-category";
import { handler, readJson } from "../../../../_lib/handler";

type Params = { seminarId: string; categoryId: string };

/** Renames or recolours a category. */
export const PATCH = handler<Params>(async ({ request, actor, params }) => ({
  category: await updateCategory(actor, params.seminarId, params.categoryId, await readJson(request)),
}));

/** Removes a category. */
export const DELETE = handler<Params>(async ({ actor, params }) =>
  deleteCategory(actor, params.seminarId, params.categoryId),
);
