/**
 * Migrations through Prisma's schema engine compiled to WebAssembly.
 *
 * The Prisma 7 CLI downloads a native schema engine before every migrate
 * command, and that download is not always reachable (docs/adr/0002). The
 * wasm build of the same engine runs over our `pg` driver adapter, writes the
 * standard `_prisma_migrations` table, and so stays interchangeable with
 * `prisma migrate deploy` wherever the CLI works.
 *
 *   tsx prisma/migrate.ts deploy          apply pending migrations to DATABASE_URL
 *   tsx prisma/migrate.ts create <name>   diff schema.prisma against the schema of
 *                                         the last migration and write a new one
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

const here = path.dirname(fileURLToPath(import.meta.url));
const SCHEMA_PATH = path.join(here, "schema.prisma");
const MIGRATIONS_DIR = path.join(here, "migrations");
/** The schema as of the newest migration; `create` diffs from it, so no shadow database is needed. */
const SNAPSHOT_PATH = path.join(MIGRATIONS_DIR, "schema.snapshot.prisma");
const LOCKFILE = "migration_lock.toml";
const FILTERS = { externalTables: [], externalEnums: [] };

type SchemaEngine = {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  applyMigrations(input: unknown): Promise<{ appliedMigrationNames: string[] }>;
  free(): void;
};

type EngineModule = {
  __wbg_set_wasm(exports: WebAssembly.Exports): void;
  SchemaEngine: { new: (...args: unknown[]) => Promise<SchemaEngine> };
};

let engineModule: Promise<EngineModule> | null = null;

/**
 * The wasm engine, instantiated once per process: its JS glue is a shared
 * ES module, and instantiating twice would point the first engine's pending
 * callbacks at the second instance.
 */
function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    // The package's own entry imports the .wasm as an ES module, which Node 20
    // cannot do; instantiate it by hand and hand the exports to the JS glue.
    const require = createRequire(import.meta.url);
    const glueUrl = pathToFileURL(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")).href;
    const bg = (await import(glueUrl)) as EngineModule & Record<string, unknown>;
    const wasmPath = path.join(path.dirname(fileURLToPath(glueUrl)), "schema_engine_bg.wasm");
    const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), {
      "./schema_engine_bg.js": bg as WebAssembly.ModuleImports,
    });
    bg.__wbg_set_wasm(instance.exports);
    // The externref table must be initialised before any call (the entry module does the same).
    (instance.exports.__wbindgen_start as () => void)();
    return bg;
  })();
  return engineModule;
}

async function loadEngine(
  databaseUrl: string,
): Promise<{ engine: SchemaEngine; close: () => Promise<void> }> {
  const bg = await loadEngineModule();
  const schema = readFileSync(SCHEMA_PATH, "utf8");
  // Discrete connection fields, not a URL: given a URL, adapter-pg ignores a database override (docs/adr/0002).
  // Our own pool, so closing it lets go of the database (a template database
  // cannot be copied while anything is connected to it).
  const pool = new pg.Pool({ ...connectionFields(databaseUrl), max: 2 });
  const adapter = new PrismaPg(pool, { schema: "public" });
  const engine = await bg.SchemaEngine.new(
    { datamodels: [["schema.prisma", schema]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(adapter),
  );
  return {
    engine,
    close: async () => {
      engine.free();
      await pool.end();
    },
  };
}

function connectionFields(databaseUrl: string) {
  const url = new URL(databaseUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.slice(1)),
  };
}

function listMigrations() {
  if (!existsSync(MIGRATIONS_DIR)) return [];
  return readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok", value: readFileSync(path.join(MIGRATIONS_DIR, name, "migration.sql"), "utf8") },
      },
    }));
}

/** Applies every pending migration; returns the names it applied. */
export async function migrateDatabase(databaseUrl: string): Promise<string[]> {
  const { engine, close } = await loadEngine(databaseUrl);
  try {
    const lockPath = path.join(MIGRATIONS_DIR, LOCKFILE);
    const result = await engine.applyMigrations({
      migrationsList: {
        baseDir: MIGRATIONS_DIR,
        lockfile: { path: LOCKFILE, content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
        shadowDbInitScript: "",
        migrationDirectories: listMigrations(),
      },
      filters: FILTERS,
    });
    return result.appliedMigrationNames;
  } finally {
    await close();
  }
}

/**
 * Writes a new migration from the difference between the last migrated schema
 * and schema.prisma. The engine wants a connection even for a datamodel diff
 * (it reads the server's version); nothing is written to that database.
 */
export async function createMigration(databaseUrl: string, name: string): Promise<string | null> {
  const { engine, close } = await loadEngine(databaseUrl);
  try {
    const from = existsSync(SNAPSHOT_PATH)
      ? {
          tag: "schemaDatamodel",
          files: [{ path: "schema.prisma", content: readFileSync(SNAPSHOT_PATH, "utf8") }],
        }
      : { tag: "empty" };
    const schema = readFileSync(SCHEMA_PATH, "utf8");
    const result = await engine.diff({
      from,
      to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: schema }] },
      script: true,
      exitCode: true,
      filters: FILTERS,
    });
    if (result.exitCode !== 2 || !result.stdout) return null;
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name.replace(/[^a-z0-9_]+/gi, "_").toLowerCase()}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "migration.sql"), result.stdout);
    writeFileSync(
      path.join(MIGRATIONS_DIR, LOCKFILE),
      '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
    );
    writeFileSync(SNAPSHOT_PATH, schema);
    return dir;
  } finally {
    await close();
  }
}

async function main(argv: string[]) {
  const [command, name] = argv;
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is not set. (`npm start` migrates its embedded database by itself.)");
    process.exit(2);
  }
  if (command === "deploy") {
    const applied = await migrateDatabase(url);
    console.log(applied.length ? `Applied ${applied.join(", ")}` : "Database is up to date.");
  } else if (command === "create" && name) {
    const dir = await createMigration(url, name);
    console.log(dir ? `Wrote ${path.relative(process.cwd(), dir)}/migration.sql` : "No schema changes.");
  } else {
    console.error("usage: tsx prisma/migrate.ts deploy | create <name>");
    process.exit(2);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
