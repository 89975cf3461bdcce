import { AppError } from "@/lib/shared/errors";
import { ZUpdateCategoryRequest } from "@/lib/shared/validation/annotations";
import { seminarPolicy, type Actor } from "../policies";
import { requireSeminar } from "../policies/require";
import { changeCategoriesEverywhere } from "./project-categories-everywhere";

/** Renames or recolours a category (instructors). */
export async function updateCategory(actor: Actor, seminarId: string, categoryId: string, input: unknown) {
  await requireSeminar(actor, seminarId, seminarPolicy.moderate, "Only instructors can edit categories.");
  const parsed = ZUpdateCategoryRequest.safeParse(input);
  if (!parsed.success)
    throw new AppError("invalid_input", parsed.error.issues[0]?.message ?? "Check the category.");
  return changeCategoriesEverywhere(seminarId, async (tx) => {
    const existing = await tx.category.findFirst({
      where: { id: categoryId, seminarId },
      select: { id: true },
    });
    if (!existing) throw new AppError("not_found", "There is no such category.");
    return tx.category.update({
      where: { id: categoryId },
      data: {
        ...(parsed.data.name !== undefined ? { name: parsed.data.name } : {}),
        ...(parsed.data.color !== undefined ? { color: parsed.data.color.toLowerCase() } : {}),
        ...(parsed.data.position !== undefined ? { position: parsed.data.position } : {}),
      },
      select: { id: true, name: true, color: true, position: true },
    });
  });
}
