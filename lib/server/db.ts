/**
 * The one Prisma client. Under `npm start` the collab server (loaded by tsx)
 * and Next's bundle each evaluate this module; the client lives on
 * globalThis so the process holds one client and one connection pool. It is
 * created on first use, so importing this module (as `next build` does while
 * collecting pages) needs no DATABASE_URL.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, type Prisma } from "./generated/prisma/client";
import { getEnv } from "./env";

const KEY = Symbol.for("marginalia.db");
type GlobalWithDb = typeof globalThis & { [KEY]?: PrismaClient };

function getClient(): PrismaClient {
  const store = globalThis as GlobalWithDb;
  if (!store[KEY]) {
    const url = getEnv().DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set.");
    store[KEY] = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }) });
  }
  return store[KEY];
}

/** The Prisma client of this process. */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const client = getClient();
    const value: unknown = Reflect.get(client, property, client);
    return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(client) : value;
  },
});

/** Disconnects the client if one was created (shutdown, end of a test file). */
export async function disconnectDb(): Promise<void> {
  const store = globalThis as GlobalWithDb;
  const client = store[KEY];
  delete store[KEY];
  await client?.$disconnect();
}

/** A transaction client, as passed to `db.$transaction(async (tx) => …)`. */
export type Tx = Prisma.TransactionClient;
