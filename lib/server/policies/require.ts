import { AppError } from "@/lib/shared/errors";
import type { Actor, SeminarAccess } from "./index";
import { getSeminarAccess } from "./load-access";

/**
 * Loads the actor's access to a seminar and checks a policy. Non-members get
 * not_found, never forbidden: a seminar's existence is itself its members' business.
 */
export async function requireSeminar(
  actor: Actor,
  seminarId: string,
  policy?: (access: SeminarAccess) => boolean,
  refusal = "Only the seminar's instructors can do that.",
): Promise<SeminarAccess & { actor: NonNullable<Actor> }> {
  if (!actor) throw new AppError("unauthenticated", "Sign in first.");
  const access = await getSeminarAccess(actor, seminarId);
  if (access.role === null)
    throw new AppError("not_found", "There is no such seminar, or you are not a member of it.");
  if (policy && !policy(access)) throw new AppError("forbidden", refusal);
  return { ...access, actor };
}
