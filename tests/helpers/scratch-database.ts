/**
 * A throwaway, migrated database for scripts that run outside vitest
 * (`npm run soak`, `npm run bench`): on the server DATABASE_URL names, or on
 * an embedded PostgreSQL under `.data/<name>` when DATABASE_URL is unset.
 * It becomes this process's DATABASE_URL (so lib/server/db and child
 * processes use it) and is dropped again by `close()`.
 */
import { randomBytes } from "node:crypto";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { disconnectDb } from "../../lib/server/db";
import { resetEnv } from "../../lib/server/env";
import { migrateDatabase } from "../../prisma/migrate";
import { openDatabase } from "../../server/bootstrap/database";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** A scratch database; `close()` drops it and stops what was started for it. */
export type ScratchDatabase = {
  /** Its connection string (also process.env.DATABASE_URL now). */
  url: string;
  /** "DATABASE_URL" or "embedded PostgreSQL (.data/<name>)", for reports. */
  where: string;
  close(): Promise<void>;
};

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Creates and migrates a database named `marginalia_<name>_<random>`; sets DATABASE_URL (and NEXTAUTH_SECRET if unset). */
export async function openScratchDatabase(name: string): Promise<ScratchDatabase> {
  const server = await openDatabase({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: path.join(ROOT, ".data", name),
    port: await freePort(),
    database: "postgres",
  });
  const database = `marginalia_${name}_${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: server.url });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database}"`);
    const url = withDatabase(server.url, database);
    await migrateDatabase(url);
    process.env.DATABASE_URL = url;
    process.env.NEXTAUTH_SECRET ||= randomBytes(32).toString("base64url");
    resetEnv();
    return {
      url,
      where: server.embedded ? `embedded PostgreSQL (.data/${name})` : "DATABASE_URL",
      async close() {
        await disconnectDb();
        await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch(() => undefined);
        await admin.end().catch(() => undefined);
        await server.embedded?.stop();
      },
    };
  } catch (error) {
    await admin.end().catch(() => undefined);
    await server.embedded?.stop();
    throw error;
  }
}
