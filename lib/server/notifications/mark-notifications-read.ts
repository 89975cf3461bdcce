import { ZMarkNotificationsReadRequest } from "@/lib/shared/notifications/kinds";
import { AppError } from "@/lib/shared/errors";
import { db } from "../db";
import type { Actor } from "../policies";
import { parseInput } from "../parse-input";
import { announceUnreadChange } from "./unread-events";
import { getUnreadCount } from "./get-unread-count";

/** Marks some of the actor's notifications read ({ ids }), or all of them ({ all: true }). */
export async function markNotificationsRead(actor: Actor, input: unknown): Promise<{ unreadCount: number }> {
  if (!actor) throw new AppError("unauthenticated", "Sign in first.");
  const request = parseInput(ZMarkNotificationsReadRequest, input, { fallback: "Say which notifications." });
  await db.$transaction(async (tx) => {
    await tx.notification.updateMany({
      where: { userId: actor.userId, readAt: null, ...("ids" in request ? { id: { in: request.ids } } : {}) },
      data: { readAt: new Date() },
    });
    // The bell of every tab the person has open follows.
    await announceUnreadChange(tx, [actor.userId]);
  });
  return { unreadCount: await getUnreadCount(actor.userId) };
}
