/**
 * Once per `vitest run`: a PostgreSQL (DATABASE_URL, or the embedded one in
 * .data/test) and a migrated template database that every test file copies.
 * A run of the whole suite also builds the app here, once, before any file
 * starts: a build inside a file's `beforeAll` (tests/helpers/app-server.ts,
 * which still builds when a single file runs) counts against that hook's
 * timeout, and a slow build on a busy machine failed every file waiting on it.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import pg from "pg";
import { openDatabase } from "../../server/bootstrap/database";
import { migrateDatabase } from "../../prisma/migrate";
import { ensureBuild } from "../../server/bootstrap/build";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

declare module "vitest" {
  export interface ProvidedContext {
    /** Connection string of a database this run may create and drop databases through. */
    adminDatabaseUrl: string;
    /** Name of the migrated template database. */
    templateDatabase: string;
    /** Unique id of this run, part of every database name it creates. */
    runId: string;
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export default async function setup(project: TestProject) {
  const database = await openDatabase({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: path.join(ROOT, ".data", "test"),
    port: Number(process.env.EMBEDDED_PG_TEST_PORT ?? 54339),
    database: "postgres",
  });
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const templateDatabase = `marginalia_tpl_${runId}`;
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${templateDatabase}"`);
  await migrateDatabase(withDatabase(database.url, templateDatabase));

  // The whole suite (`vitest run` with no file filters) needs the app: build it now.
  const fileFilters = process.argv.slice(2).filter((arg) => !arg.startsWith("-") && arg !== "run");
  if (fileFilters.length === 0) await ensureBuild(ROOT, (line) => console.log(`[app build] ${line}`));

  project.provide("adminDatabaseUrl", database.url);
  project.provide("templateDatabase", templateDatabase);
  project.provide("runId", runId);

  return async () => {
    // Drop whatever this run created, even databases a crashed file left behind.
    const { rows } = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE $1",
      [`marginalia_%${runId}%`],
    );
    for (const { datname } of rows) {
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    await admin.end();
    await database.embedded?.stop();
  };
}
