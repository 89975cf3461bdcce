import { ZUpdateNotificationPreferencesRequest } from "@/lib/shared/notifications/kinds";
import { AppError } from "@/lib/shared/errors";
import { db } from "../db";
import type { Actor } from "../policies";
import { parseInput } from "../parse-input";
import { getNotificationPreferences } from "./get-notification-preferences";

/** Sets the actor's channel for the kinds given; the others keep theirs. */
export async function updateNotificationPreferences(actor: Actor, input: unknown) {
  if (!actor) throw new AppError("unauthenticated", "Sign in first.");
  const request = parseInput(ZUpdateNotificationPreferencesRequest, input, {
    fallback: "Choose a channel for each kind.",
  });
  await db.$transaction(
    Object.entries(request.channels).map(([kind, channel]) =>
      db.notificationPreference.upsert({
        where: { userId_kind: { userId: actor.userId, kind: kind as keyof typeof request.channels } },
        create: { userId: actor.userId, kind: kind as keyof typeof request.channels, channel },
        update: { channel },
      }),
    ),
  );
  return getNotificationPreferences(actor);
}
