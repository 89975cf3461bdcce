/**
 * The token in an email's unsubscribe link: who and which kind, signed with
 * NEXTAUTH_SECRET (HMAC-SHA256). Whoever holds it may turn that one kind off
 * for that one person, and nothing else: it signs nobody in.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { NOTIFICATION_KINDS, type NotificationKindName } from "@/lib/shared/notifications/kinds";
import { getEnv } from "../env";

function mac(userId: string, kind: string): string {
  const secret = getEnv().NEXTAUTH_SECRET;
  if (!secret) throw new Error("NEXTAUTH_SECRET is not set: unsubscribe links cannot be signed.");
  return createHmac("sha256", secret).update(`unsubscribe\n${userId}\n${kind}`).digest("base64url");
}

/** A token that turns `kind` off for `userId`. */
export function signUnsubscribeToken(userId: string, kind: NotificationKindName): string {
  return `${userId}.${kind}.${mac(userId, kind)}`;
}

/** Who and which kind a token names, or null when it is malformed or its signature does not match. */
export function readUnsubscribeToken(token: string): { userId: string; kind: NotificationKindName } | null {
  const [userId, kind, signature, ...rest] = token.split(".");
  if (!userId || !kind || !signature || rest.length > 0) return null;
  if (!(NOTIFICATION_KINDS as readonly string[]).includes(kind)) return null;
  const expected = Buffer.from(mac(userId, kind));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return { userId, kind: kind as NotificationKindName };
}
