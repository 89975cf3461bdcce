import { cache } from "react";
import { getServerSession } from "next-auth";
import { getAuthOptions } from "./auth-options";
import { findActiveSessionUser } from "./sessions";

/** The signed-in user. */
export type CurrentUser = { id: string; name: string; email: string };

/**
 * The signed-in user of this request, or null. Checks the session row on
 * every request, so a sign-out elsewhere or a revoked session counts at once.
 */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await getServerSession(getAuthOptions());
  if (!session?.sid || !session.user?.id) return null;
  return findActiveSessionUser(session.sid, session.user.id);
});
