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

async function main(argv: string[]) {
  if (!process.env.DATABASE_URL) {
    console.error("DATABASE_URL is not set. (`npm start` seeds its embedded database by itself.)");
    process.exit(2);
  }
  const results = await seedTexts(console.log);
  console.log(`${results.length} text(s) seeded.`);
  if (argv.includes("--demo")) {
    const { seedDemo, printDemoLogins } = await import("./seed-demo");
    printDemoLogins(await seedDemo());
  }
  const { db } = await import("../lib/server/db");
  await db.$disconnect();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
