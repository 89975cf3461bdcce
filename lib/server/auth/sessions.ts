import { db } from "../db";
import { notifyAccessChange } from "../realtime/access-events";

/** Records a new signed-in browser; its id goes into the JWT. */
export async function createUserSession(userId: string): Promise<string> {
  const session = await db.userSession.create({ data: { userId }, select: { id: true } });
  return session.id;
}

/** Signs a session out everywhere: pages refuse it and the collab server closes its sockets. */
export async function revokeUserSession(sessionId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const session = await tx.userSession.updateMany({
      where: { id: sessionId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (session.count === 0) return;
    const { userId } = await tx.userSession.findUniqueOrThrow({
      where: { id: sessionId },
      select: { userId: true },
    });
    await notifyAccessChange({ type: "session-revoked", sessionId, userId }, tx);
  });
}

/** The user of an active session; null when the session is unknown, revoked, or not that user's. */
export async function findActiveSessionUser(sessionId: string, userId: string) {
  const session = await db.userSession.findUnique({
    where: { id: sessionId },
    select: { revokedAt: true, user: { select: { id: true, name: true, email: true } } },
  });
  if (!session || session.revokedAt || session.user.id !== userId) return null;
  return session.user;
}
