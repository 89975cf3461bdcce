/**
 * Live unread counts. Whatever changes a person's unread notifications sends
 * a NOTIFY on `marginalia_notifications` carrying their user id, inside its
 * transaction (Postgres delivers it on commit). Each process LISTENs once,
 * with one postgres.js connection, and hands the ids to the inbox streams
 * (app/api/notifications/stream) of that process.
 */
import postgres from "postgres";
import type { Tx, db } from "../db";
import { getEnv } from "../env";

/** The channel. */
export const NOTIFICATIONS_CHANNEL = "marginalia_notifications";

/** Queues one notice per user for when `client`'s transaction commits (at once outside one). */
export async function announceUnreadChange(
  client: Tx | typeof db,
  userIds: readonly string[],
): Promise<void> {
  for (const userId of new Set(userIds)) {
    await client.$executeRaw`SELECT pg_notify(${NOTIFICATIONS_CHANNEL}, ${userId})`;
  }
}

type Listener = (userId: string) => void;

type Hub = {
  listeners: Set<Listener>;
  sql: postgres.Sql | null;
  ready: Promise<void> | null;
};

// On globalThis, as db.ts keeps its client: Next's bundle and the tsx-loaded
// server may both evaluate this module in one process.
const KEY = Symbol.for("marginalia.unread-events");
type GlobalWithHub = typeof globalThis & { [KEY]?: Hub };

function hub(): Hub {
  const store = globalThis as GlobalWithHub;
  store[KEY] ??= { listeners: new Set(), sql: null, ready: null };
  return store[KEY];
}

/**
 * Calls `listener` with the user id of every unread-count change, in any
 * process, until the returned function is called. The first subscriber
 * opens the process's LISTEN connection; it stays open (one connection).
 */
export async function subscribeUnreadChanges(listener: Listener): Promise<() => void> {
  const state = hub();
  state.listeners.add(listener);
  if (!state.ready) {
    const url = getEnv().DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set.");
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    state.sql = sql;
    state.ready = sql
      .listen(NOTIFICATIONS_CHANNEL, (userId) => {
        for (const each of state.listeners) each(userId);
      })
      .then(() => undefined)
      .catch((error: unknown) => {
        // The next subscriber tries again.
        state.ready = null;
        state.sql = null;
        void sql.end({ timeout: 1 });
        throw error;
      });
  }
  try {
    await state.ready;
  } catch (error) {
    state.listeners.delete(listener);
    throw error;
  }
  return () => {
    state.listeners.delete(listener);
  };
}

/** Closes this process's LISTEN connection (shutdown, end of a test file). */
export async function closeUnreadChanges(): Promise<void> {
  const state = hub();
  const sql = state.sql;
  state.sql = null;
  state.ready = null;
  state.listeners.clear();
  await sql?.end({ timeout: 1 });
}
