/**
 * `npm start`: everything a reader needs, in one process.
 *
 * 1. Database: DATABASE_URL, or an embedded PostgreSQL under .data/.
 * 2. Migrate, then seed the texts (and, on a new embedded database, the demo seminar).
 * 3. Build the app if its sources changed (in parallel with 1–2).
 * 4. Serve pages, API and /collab on PORT (default 3000); warm up the pages a reader opens
 *    first (server/warm-up.ts), then say it is running.
 * Ctrl-C (or SIGTERM) drains and shuts down in order: /readyz answers 503 and the
 * listener closes (the balancer sends new requests elsewhere), collab closes its sockets
 * with 1012 so clients reconnect through the balancer at once and flushes, then HTTP, the
 * database client, embedded PostgreSQL.
 *
 * Several processes on one database (README: Running several processes) take turns at the
 * start-up work (migrate, import texts, demo seminar) under an advisory lock, and with
 * REDIS_URL share presence; DIRECT_DATABASE_URL serves LISTEN and that lock behind a pooler.
 *
 * Flags: --dev (Next in development mode), --no-build (use .next as it is).
 */
import "dotenv/config";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openDatabase, StartupError, type DatabaseHandle } from "./bootstrap/database";
import { ensureBuild } from "./bootstrap/build";
import { claimDataDir } from "./bootstrap/data-dir";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DATA_DIR = path.join(ROOT, ".data");

const argv = new Set(process.argv.slice(2));
const isDev = argv.has("--dev");
/** A deployment says so by setting NODE_ENV=production itself; `npm start` alone is local use. */
const isProductionDeployment = process.env.NODE_ENV === "production";

function log(line: string) {
  console.log(`[marginalia] ${line}`);
}

/** NEXTAUTH_SECRET: required in a production deployment, generated into .data/ for local use. */
function ensureAuthSecret() {
  if (process.env.NEXTAUTH_SECRET) return;
  if (isProductionDeployment) {
    throw new StartupError(
      "NEXTAUTH_SECRET is not set. A production deployment needs its own secret, e.g. `openssl rand -base64 32`.",
    );
  }
  mkdirSync(DATA_DIR, { recursive: true });
  const file = path.join(DATA_DIR, "nextauth-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  process.env.NEXTAUTH_SECRET = readFileSync(file, "utf8").trim();
}

async function main() {
  const started = Date.now();
  // React and Next pick their production builds from NODE_ENV.
  Object.assign(process.env, { NODE_ENV: isDev ? "development" : "production" });
  const { getEnv, requireAppUrl, resetEnv } = await import("../lib/server/env");
  let env: ReturnType<typeof getEnv>;
  try {
    env = getEnv();
    ensureAuthSecret();
    if (isProductionDeployment) requireAppUrl(env);
  } catch (error) {
    console.error(`[marginalia] ${(error as Error).message}`);
    process.exit(1);
  }

  // Without NEXTAUTH_URL, next-auth builds its URLs from the request's Host
  // (local use on any port); a deployment sets NEXTAUTH_URL.
  if (!env.NEXTAUTH_URL) process.env.AUTH_TRUST_HOST ??= "1";

  const releaseDataDir = env.DATABASE_URL ? () => {} : claimDataDir(DATA_DIR);
  const cleanups: (() => Promise<void> | void)[] = [releaseDataDir];
  let shuttingDown = false;
  const shutdown = async (code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.error(`[marginalia] during shutdown: ${(error as Error).message}`);
      }
    }
    process.exit(code);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      log("Shutting down…");
      void shutdown(0);
    });
  }

  try {
    const build = isDev || argv.has("--no-build") ? Promise.resolve() : ensureBuild(ROOT, log);
    // A rejected build must not go unhandled while the database starts.
    build.catch(() => {});

    if (!env.DATABASE_URL) log("DATABASE_URL is not set: using the embedded PostgreSQL in .data/pg.");
    const database: DatabaseHandle = await openDatabase({
      databaseUrl: env.DATABASE_URL,
      dataDir: DATA_DIR,
      port: env.EMBEDDED_PG_PORT,
    });
    if (database.embedded) cleanups.push(() => database.embedded?.stop());
    process.env.DATABASE_URL = database.url;
    resetEnv();

    // N processes starting together on one database: the first to take the lock migrates and
    // seeds; the others wait, then find nothing left to do (no migration to apply, so no demo).
    const directUrl = env.DIRECT_DATABASE_URL ?? database.url;
    const { withStartupLock } = await import("./bootstrap/startup-lock");
    await withStartupLock(directUrl, async () => {
      const { migrateDatabase } = await import("../prisma/migrate");
      const applied = await migrateDatabase(directUrl);
      if (applied.length) log(`Applied migrations: ${applied.join(", ")}.`);
      const { seedTexts } = await import("../prisma/seed");
      await seedTexts(log);
      // A new database (a new embedded cluster, or an empty DATABASE_URL we just
      // migrated from nothing) gets the demo seminar; an existing one never does.
      const isNewDatabase = database.isNew || applied.some((name) => name.endsWith("_init"));
      const demo = await import("../prisma/seed-demo");
      if (isNewDatabase) demo.printDemoLogins(await demo.seedDemo(), log);
      else {
        const logins = await demo.findWorkingDemoLogins();
        if (logins) demo.printDemoLogins(logins, log);
      }
    });

    const { disconnectDb } = await import("../lib/server/db");
    cleanups.push(() => disconnectDb());

    await build;

    const { startHttpServer } = await import("./http-server");
    const { CollabServer } = await import("./collab/collab-server");
    const { createLogger } = await import("./log");
    const { configurationFromEnv } = await import("./collab/config");
    const collab = new CollabServer({
      databaseUrl: database.url,
      listenDatabaseUrl: env.DIRECT_DATABASE_URL,
      config: configurationFromEnv(env),
      log: createLogger(),
    });
    try {
      await collab.start();
    } catch (error) {
      throw new StartupError(
        `Cannot start the collab server: ${(error as Error).message}` +
          (env.REDIS_URL ? " (is Redis running at REDIS_URL?)" : ""),
      );
    }
    if (env.REDIS_URL) log("Presence is shared with the other processes through Redis (REDIS_URL).");
    let isDraining = false;
    const { checkReadiness } = await import("./readiness");
    const presence = collab.presence;
    const http = await startHttpServer({
      dir: ROOT,
      dev: isDev,
      port: env.PORT,
      hostname: env.HOST,
      collab,
      readiness: () =>
        checkReadiness({
          isDraining: () => isDraining,
          isRedisReachable: presence ? () => presence.isReachable() : null,
        }),
    });
    cleanups.push(() => http.close());
    // Runs second at shutdown: sockets get 1012 and pending commits are flushed.
    cleanups.push(() => collab.close());
    // Runs first: /readyz says 503 and no new connection is accepted; open ones finish.
    cleanups.push(() => {
      isDraining = true;
      http.server.close();
    });

    // Discussion snapshots at readings' due dates (docs/architecture.md §8): a sweep now and
    // then every minute. Every app process sweeps; takeDueSnapshots claims each
    // reading in Postgres, so each snapshot is taken once. One sweep at a time
    // per process; unref'd so the timer alone never keeps the process alive.
    const { takeDueSnapshots } = await import("../lib/server/snapshots/take-due-snapshots");
    let isSweeping = false;
    const sweepDueSnapshots = () => {
      if (isSweeping) return;
      isSweeping = true;
      takeDueSnapshots(new Date())
        .then((taken) => taken.length && log(`Took ${taken.length} due-date snapshot(s).`))
        .catch((error: unknown) =>
          console.error(`[marginalia] due-date snapshots: ${(error as Error).message}`),
        )
        .finally(() => (isSweeping = false));
    };
    const dueSnapshotTimer = setInterval(sweepDueSnapshots, 60_000);
    dueSnapshotTimer.unref();
    sweepDueSnapshots();
    cleanups.push(() => clearInterval(dueSnapshotTimer));

    // Expired upload previews (docs/adr/0014): a sweep now and then every five minutes. Every
    // process sweeps; the DELETE claims each row (SKIP LOCKED), so each is deleted once.
    const { deleteExpiredUploads } = await import("../lib/server/uploads/delete-upload");
    let isSweepingUploads = false;
    const sweepExpiredUploads = () => {
      if (isSweepingUploads) return;
      isSweepingUploads = true;
      deleteExpiredUploads(new Date())
        .then(({ uploadIds }) => uploadIds.length && log(`Deleted ${uploadIds.length} expired upload(s).`))
        .catch((error: unknown) => console.error(`[marginalia] expired uploads: ${(error as Error).message}`))
        .finally(() => (isSweepingUploads = false));
    };
    const uploadSweepTimer = setInterval(sweepExpiredUploads, 5 * 60_000);
    uploadSweepTimer.unref();
    sweepExpiredUploads();
    cleanups.push(() => clearInterval(uploadSweepTimer));

    // Notifications (docs/architecture.md §10): due-date reminders, daily digests and the
    // email outbox, every 10 seconds so "email at once" means within seconds. Each step
    // claims its work in Postgres, so several processes never send anything twice.
    const { sweepNotifications } = await import("../lib/server/notifications/sweep-notifications");
    const { closeUnreadChanges } = await import("../lib/server/notifications/unread-events");
    let isSweepingNotifications = false;
    const sweepNotificationsNow = () => {
      if (isSweepingNotifications) return;
      isSweepingNotifications = true;
      sweepNotifications(new Date())
        .then(({ reminded, digests, emailed }) => {
          if (reminded || digests || emailed)
            log(`Notifications: ${reminded} reminder(s), ${digests} digest(s), ${emailed} email(s) sent.`);
        })
        .catch((error: unknown) => console.error(`[marginalia] notifications: ${(error as Error).message}`))
        .finally(() => (isSweepingNotifications = false));
    };
    const notificationTimer = setInterval(sweepNotificationsNow, 10_000);
    notificationTimer.unref();
    sweepNotificationsNow();
    cleanups.push(() => clearInterval(notificationTimer));
    cleanups.push(() => closeUnreadChanges());

    // The pages a reader opens first, asked for once before we say we are running, so the
    // first reader does not pay for Next's first render of them (server/warm-up.ts); and the
    // reading page's queries, run here as a member would run them so Prisma (one client in
    // the process) has planned them: the page waits for them before its first byte.
    if (!isDev) {
      const { warmUp, warmUpPaths } = await import("./warm-up");
      const { db } = await import("../lib/server/db");
      const texts = await db.document
        .findMany({
          where: { isPublic: true },
          select: { slug: true },
          orderBy: { createdAt: "asc" },
          take: 3,
        })
        .catch(() => []);
      const host = ["0.0.0.0", "::", ""].includes(env.HOST) ? "127.0.0.1" : env.HOST;
      const origin = `http://${host.includes(":") ? `[${host}]` : host}:${http.port}`;
      const { warmNewestReading } = await import("../lib/server/seminars/warm-newest-reading");
      const [warm] = await Promise.all([
        warmUp(origin, warmUpPaths(texts.map((text) => text.slug))),
        warmNewestReading(),
      ]);
      if (warm.failed)
        log(`Warming up: ${warm.failed} page(s) failed (${Math.round(warm.ms)} ms); serving anyway.`);
    }
    log(
      `Marginalia is running at http://localhost:${http.port} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s).`,
    );
  } catch (error) {
    if (error instanceof StartupError) console.error(`[marginalia] ${error.message}`);
    else console.error(error);
    await shutdown(1);
  }
}

void main();
