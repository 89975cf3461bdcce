import { AppError } from "@/lib/shared/errors";
import { ZJoinSeminarRequest } from "@/lib/shared/validation/seminars";
import { db } from "../db";
import type { Actor } from "../policies";
import { notifyAccessChange } from "../realtime/access-events";
import { getInviteStatus } from "./get-invite";
import { parseInput } from "../parse-input";

/** Joins the seminar of a valid invite code as a student (a member already keeps their role). */
export async function joinSeminar(actor: Actor, input: unknown) {
  if (!actor) throw new AppError("unauthenticated", "Sign in or create an account to join.");
  const request = parseInput(ZJoinSeminarRequest, input, { fallback: "Enter the invite code." });
  const invite = await getInviteStatus(request.code);
  if (invite.status === "invalid") {
    throw new AppError("not_found", "This invite link is not valid. Ask your instructor for a new one.");
  }
  if (invite.status === "expired") {
    throw new AppError(
      "forbidden",
      `This invite link to “${invite.seminarTitle}” has expired. Ask your instructor for a new one.`,
    );
  }
  return db.$transaction(async (tx) => {
    const membership = await tx.membership.upsert({
      where: { userId_seminarId: { userId: actor.userId, seminarId: invite.seminarId } },
      create: { userId: actor.userId, seminarId: invite.seminarId, role: "STUDENT" },
      update: {},
      select: { role: true, createdAt: true },
    });
    await notifyAccessChange(
      { type: "membership-changed", userId: actor.userId, seminarId: invite.seminarId },
      tx,
    );
    return { seminarId: invite.seminarId, role: membership.role };
  });
}
