import { AppError } from "@/lib/shared/errors";
import { ZUpdateMemberRequest } from "@/lib/shared/validation/seminars";
import { db } from "../db";
import { seminarPolicy, type Actor } from "../policies";
import { requireSeminar } from "../policies/require";
import { notifyAccessChange } from "../realtime/access-events";
import { parseInput } from "../parse-input";

/** Promotes a member to instructor, or makes an instructor a student again (a seminar keeps at least one instructor). */
export async function updateMemberRole(actor: Actor, seminarId: string, userId: string, input: unknown) {
  await requireSeminar(actor, seminarId, seminarPolicy.manageMembers, "Only instructors can change roles.");
  const { role } = parseInput(ZUpdateMemberRequest, input, {
    message: "The role must be INSTRUCTOR or STUDENT.",
  });
  return db.$transaction(async (tx) => {
    const member = await tx.membership.findUnique({ where: { userId_seminarId: { userId, seminarId } } });
    if (!member) throw new AppError("not_found", "That person is not a member of this seminar.");
    if (member.role === role) return { userId, role };
    if (member.role === "INSTRUCTOR") {
      const instructors = await tx.membership.count({ where: { seminarId, role: "INSTRUCTOR" } });
      if (instructors <= 1)
        throw new AppError(
          "conflict",
          "A seminar needs at least one instructor. Promote someone else first.",
        );
    }
    await tx.membership.update({ where: { userId_seminarId: { userId, seminarId } }, data: { role } });
    await notifyAccessChange({ type: "membership-changed", userId, seminarId }, tx);
    return { userId, role };
  });
}
