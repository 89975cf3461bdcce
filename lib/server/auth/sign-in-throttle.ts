/**
 * Slows down password guessing per email: after FREE_FAILURES failed
 * sign-ins, each further failure locks the email for twice as long as the
 * one before (30 s, 1 min, 2 min … up to 15 min). Stored in Postgres, so
 * every app process sees the same count. A success clears it.
 */
import { AppError } from "@/lib/shared/errors";
import { db } from "../db";

/** Failures allowed before the first lock. */
export const FREE_FAILURES = 5;
const BASE_LOCK_MS = 30_000;
const MAX_LOCK_MS = 15 * 60_000;

function describeWait(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
}

/** Throws rate_limited while the email is locked. */
export async function assertNotThrottled(email: string, now = new Date()): Promise<void> {
  const row = await db.signInThrottle.findUnique({ where: { email } });
  if (row?.lockedUntil && row.lockedUntil > now) {
    const wait = row.lockedUntil.getTime() - now.getTime();
    throw new AppError(
      "rate_limited",
      `Too many failed sign-ins for this email. Try again in ${describeWait(wait)}.`,
      { retryAfterSeconds: Math.ceil(wait / 1000) },
    );
  }
}

/** Counts a failure, locking the email once the free failures are used up. */
export async function recordSignInFailure(email: string, now = new Date()): Promise<void> {
  const row = await db.signInThrottle.upsert({
    where: { email },
    create: { email, failures: 1 },
    update: { failures: { increment: 1 } },
  });
  const over = row.failures - FREE_FAILURES;
  if (over > 0) {
    const lockMs = Math.min(BASE_LOCK_MS * 2 ** (over - 1), MAX_LOCK_MS);
    await db.signInThrottle.update({
      where: { email },
      data: { lockedUntil: new Date(now.getTime() + lockMs) },
    });
  }
}

/** Forgets the failures of an email after a successful sign-in. */
export async function clearSignInFailures(email: string): Promise<void> {
  await db.signInThrottle.deleteMany({ where: { email } });
}
