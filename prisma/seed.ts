/**
 * Seeds the texts in content/texts (idempotently) and, with --demo, the demo
 * seminar with its known logins.
 *
 *   npm run seed         import or update the texts
 *   npm run seed:demo    … and create the demo seminar and accounts
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
/** Where the texts live; the app reads texts from nowhere else. */
export const TEXTS_DIR = path.join(here, "..", "content", "texts");

/** Imports every `.txt` in content/texts as a public library text; returns what happened to each. */
export async function seedTexts(log: (line: string) => void = () => {}) {
  const { importDocument } = await import("../lib/server/documents/import-document");
  const results: { slug: string; id: string; outcome: string }[] = [];
  for (const file of readdirSync(TEXTS_DIR)
    .filter((name) => name.endsWith(".txt"))
    .sort()) {
    const slug = file.replace(/\.txt$/, "");
    const result = await importDocument({
      slug,
      raw: readFileSync(path.join(TEXTS_DIR, file), "utf8"),
      isPublic: true,
    });
    if (result.outcome !== "unchanged") log(`Text “${slug}”: ${result.outcome}.`);
    results.push({ slug, ...result });
  }
  return results;
}

/**
 * The database to seed: DATABASE_URL, or — as `npm start` does without it —
 * the embedded PostgreSQL in .data/, started (and migrated) for the run.
 */
async function openSeedDatabase(): Promise<{ close: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { close: () => Promise.resolve() };
  const { claimDataDir } = await import("../server/bootstrap/data-dir");
  const { openDatabase } = await import("../server/bootstrap/database");
  const { getEnv, resetEnv } = await import("../lib/server/env");
  const dataDir = path.join(here, "..", ".data");
  // `npm start` holds the folder while it runs, and seeds the texts itself at every start.
  const release = claimDataDir(dataDir);
  try {
    console.log("DATABASE_URL is not set: using the embedded PostgreSQL in .data/pg.");
    const database = await openDatabase({ dataDir, port: getEnv().EMBEDDED_PG_PORT });
    process.env.DATABASE_URL = database.url;
    resetEnv();
    const { migrateDatabase } = await import("./migrate");
    const applied = await migrateDatabase(database.url);
    if (applied.length) console.log(`Applied migrations: ${applied.join(", ")}.`);
    return {
      close: async () => {
        await database.embedded?.stop();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

async function main(argv: string[]) {
  const database = await openSeedDatabase();
  try {
    const results = await seedTexts(console.log);
    console.log(`${results.length} text(s) seeded.`);
    if (argv.includes("--demo")) {
      const { seedDemo, printDemoLogins } = await import("./seed-demo");
      printDemoLogins(await seedDemo());
    }
    const { db } = await import("../lib/server/db");
    await db.$disconnect();
  } finally {
    await database.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
