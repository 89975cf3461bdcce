import { AppError } from "@/lib/shared/errors";
import { db } from "../db";
import { seminarPolicy, type Actor } from "../policies";
import { requireSeminar } from "../policies/require";
import { notifyAccessChange } from "../realtime/access-events";

/**
 * Removes a member (an instructor removing someone) or leaves (a member
 * removing themselves). The last instructor cannot leave while others remain.
 * What the member wrote stays in the seminar.
 */
export async function removeMember(actor: Actor, seminarId: string, userId: string) {
  const isLeaving = actor?.userId === userId;
  await requireSeminar(
    actor,
    seminarId,
    isLeaving ? seminarPolicy.leave : seminarPolicy.manageMembers,
    "Only instructors can remove members.",
  );
  await db.$transaction(async (tx) => {
    const member = await tx.membership.findUnique({ where: { userId_seminarId: { userId, seminarId } } });
    if (!member) throw new AppError("not_found", "That person is not a member of this seminar.");
    if (member.role === "INSTRUCTOR") {
      // One after the other: a transaction is one connection, which runs one query at a time.
      const instructors = await tx.membership.count({ where: { seminarId, role: "INSTRUCTOR" } });
      const members = await tx.membership.count({ where: { seminarId } });
      if (instructors <= 1 && members > 1) {
        throw new AppError(
          "conflict",
          isLeaving
            ? "You are this seminar's only instructor. Promote someone else before you leave."
            : "A seminar needs at least one instructor.",
        );
      }
    }
    await tx.membership.delete({ where: { userId_seminarId: { userId, seminarId } } });
    await notifyAccessChange({ type: "membership-changed", userId, seminarId }, tx);
  });
  return { userId, left: isLeaving };
}
