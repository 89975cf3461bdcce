import { db } from "../db";

/** What an invite link leads to, for the join page (no member data). */
export type InviteStatus =
  | { status: "valid"; seminarId: string; seminarTitle: string; expiresAt: Date | null }
  | { status: "expired"; seminarTitle: string }
  | { status: "invalid" };

/** Looks up a join code. Revoked codes read as invalid, like unknown ones. */
export async function getInviteStatus(code: string, now = new Date()): Promise<InviteStatus> {
  const invite = await db.invite.findUnique({
    where: { code: code.trim().toLowerCase() },
    select: { revokedAt: true, expiresAt: true, seminar: { select: { id: true, title: true } } },
  });
  if (!invite || invite.revokedAt) return { status: "invalid" };
  if (invite.expiresAt && invite.expiresAt <= now)
    return { status: "expired", seminarTitle: invite.seminar.title };
  return {
    status: "valid",
    seminarId: invite.seminar.id,
    seminarTitle: invite.seminar.title,
    expiresAt: invite.expiresAt,
  };
}
