import { AppError } from "@/lib/shared/errors";
import { ZUpdateCategoryRequest } from "@/lib/shared/validation/annotations";
import { seminarPolicy, type Actor } from "../policies";
import { requireSeminar } from "../policies/require";
import { changeCategoriesEverywhere } from "./project-categories-everywhere";
import { parseInput } from "../parse-input";

/** Renames or recolours a category (instructors). */
export async function updateCategory(actor: Actor, seminarId: string, categoryId: string, input: unknown) {
  await requireSeminar(actor, seminarId, seminarPolicy.moderate, "Only instructors can edit categories.");
  const request = parseInput(ZUpdateCategoryRequest, input, { fallback: "Check the category." });
  return changeCategoriesEverywhere(seminarId, async (tx) => {
    const existing = await tx.category.findFirst({
      where: { id: categoryId, seminarId },
      select: { id: true },
    });
    if (!existing) throw new AppError("not_found", "There is no such category.");
    return tx.category.update({
      where: { id: categoryId },
      data: {
        ...(request.name !== undefined ? { name: request.name } : {}),
        ...(request.color !== undefined ? { color: request.color.toLowerCase() } : {}),
        ...(request.position !== undefined ? { position: request.position } : {}),
      },
      select: { id: true, name: true, color: true, position: true },
    });
  });
}
