/**
 * Access changes that the collab server must act on (close sockets that lost
 * their right), sent through Postgres NOTIFY so every collab process hears
 * them. Sent inside the transaction that makes the change: Postgres delivers
 * a NOTIFY only when that transaction commits.
 */
import type { Tx } from "../db";
import { db } from "../db";

/** The channel collab processes LISTEN on. */
export const ACCESS_CHANNEL = "marginalia_access";

/** Something that may have taken access away. */
export type AccessEvent =
  /** A session was signed out or revoked. */
  | { type: "session-revoked"; sessionId: string; userId: string }
  /** A user joined, left, was removed from, or changed role in a seminar. */
  | { type: "membership-changed"; userId: string; seminarId: string }
  /** A seminar's readings changed (a reading removed closes its rooms). */
  | { type: "readings-changed"; seminarId: string };

/** Queues the event for delivery when `client`'s transaction commits (at once outside one). */
export async function notifyAccessChange(event: AccessEvent, client: Tx | typeof db = db): Promise<void> {
  await client.$executeRaw`SELECT pg_notify(${ACCESS_CHANNEL}, ${JSON.stringify(event)})`;
}
