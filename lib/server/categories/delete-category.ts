import { AppError } from "@/lib/shared/errors";
import { seminarPolicy, type Actor } from "../policies";
import { requireSeminar } from "../policies/require";
import { changeCategoriesEverywhere } from "./project-categories-everywhere";

/** Removes a category (instructors); its highlights keep their passages and lose the category. */
export async function deleteCategory(actor: Actor, seminarId: string, categoryId: string) {
  await requireSeminar(actor, seminarId, seminarPolicy.moderate, "Only instructors can edit categories.");
  await changeCategoriesEverywhere(seminarId, async (tx) => {
    const { count } = await tx.category.deleteMany({ where: { id: categoryId, seminarId } });
    if (count === 0) throw new AppError("not_found", "There is no such category.");
  });
  return { id: categoryId };
}
