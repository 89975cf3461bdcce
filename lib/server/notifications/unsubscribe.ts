import { AppError } from "@/lib/shared/errors";
import { NOTIFICATION_KIND_LABELS } from "@/lib/shared/notifications/kinds";
import { db } from "../db";
import { readUnsubscribeToken } from "./unsubscribe-token";

/** What an unsubscribe token names, for the confirmation page; not_found when it is not valid. */
export async function getUnsubscribeTarget(token: string) {
  const target = readUnsubscribeToken(token);
  if (!target)
    throw new AppError("not_found", "This unsubscribe link is not valid. Check that it was copied whole.");
  const user = await db.user.findUnique({ where: { id: target.userId }, select: { id: true } });
  if (!user)
    throw new AppError("not_found", "This unsubscribe link is not valid. Check that it was copied whole.");
  return { kind: target.kind, label: NOTIFICATION_KIND_LABELS[target.kind] };
}

/**
 * Turns off the one kind the token names, for the one person it names,
 * without signing in: the signature is the authority (unsubscribe-token.ts).
 * Doing it twice is harmless.
 */
export async function unsubscribe(token: string) {
  const target = await getUnsubscribeTarget(token);
  const { userId } = readUnsubscribeToken(token) as { userId: string };
  await db.notificationPreference.upsert({
    where: { userId_kind: { userId, kind: target.kind } },
    create: { userId, kind: target.kind, channel: "OFF" },
    update: { channel: "OFF" },
  });
  return target;
}
