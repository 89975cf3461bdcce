import { ZRegenerateInviteRequest } from "@/lib/shared/validation/seminars";
import { db } from "../db";
import { seminarPolicy, type Actor } from "../policies";
import { requireSeminar } from "../policies/require";
import { createInvite } from "./create-seminar";
import { parseInput } from "../parse-input";

/** Replaces the seminar's invite link: the old code stops working at once. */
export async function regenerateInvite(actor: Actor, seminarId: string, input: unknown) {
  const access = await requireSeminar(
    actor,
    seminarId,
    seminarPolicy.manageMembers,
    "Only instructors can change the invite link.",
  );
  const request = parseInput(ZRegenerateInviteRequest, input ?? {}, {
    message: "Choose an expiry between 1 and 365 days, or none.",
  });
  const expiresAt = request.expiresInDays ? new Date(Date.now() + request.expiresInDays * 86_400_000) : null;
  return db.$transaction(async (tx) => {
    await tx.invite.updateMany({ where: { seminarId, revokedAt: null }, data: { revokedAt: new Date() } });
    const invite = await createInvite(tx, seminarId, access.actor.userId, expiresAt);
    return { code: invite.code, expiresAt: invite.expiresAt };
  });
}
