import { AppError } from "@/lib/shared/errors";
import { ZCategoryRequest } from "@/lib/shared/validation/annotations";
import { seminarPolicy, type Actor } from "../policies";
import { requireSeminar } from "../policies/require";
import { changeCategoriesEverywhere } from "./project-categories-everywhere";
import { parseInput } from "../parse-input";

/** Adds a highlight category to the seminar (instructors). */
export async function createCategory(actor: Actor, seminarId: string, input: unknown) {
  await requireSeminar(actor, seminarId, seminarPolicy.moderate, "Only instructors can edit categories.");
  const request = parseInput(ZCategoryRequest, input, { fallback: "Check the category." });
  return changeCategoriesEverywhere(seminarId, async (tx) => {
    const count = await tx.category.count({ where: { seminarId } });
    if (count >= 12) throw new AppError("conflict", "A seminar can have at most 12 categories.");
    return tx.category.create({
      data: { seminarId, name: request.name, color: request.color.toLowerCase(), position: count },
      select: { id: true, name: true, color: true, position: true },
    });
  });
}
