/**
 * Finds the database for `npm start` and the tests: DATABASE_URL when set
 * (checked for reachability, with a one-line message when it is not), else
 * the embedded PostgreSQL under `.data/`.
 */
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded-postgres";

/** The database a process will use. */
export type DatabaseHandle = {
  /** Connection string. */
  url: string;
  /** The embedded server, when one was started. */
  embedded: EmbeddedPostgres | null;
  /** True when this start created the database (a new embedded cluster). */
  isNew: boolean;
};

/** An error whose message is one line fit for a terminal. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartupError";
  }
}

function describe(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return "(unparseable URL)";
  }
}

/** Connects once to `url`; throws a StartupError saying why when it cannot. */
export async function checkDatabaseReachable(url: string): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StartupError(
      "DATABASE_URL is not a valid URL (expected postgresql://user:password@host:port/database).",
    );
  }
  if (!/^postgres(ql)?:$/.test(parsed.protocol)) {
    throw new StartupError(`DATABASE_URL must start with postgresql:// (got ${parsed.protocol}//).`);
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new StartupError(`Cannot reach the database at ${describe(url)} (DATABASE_URL): ${reason}.`);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Resolves DATABASE_URL, or starts the embedded PostgreSQL in `dataDir`. */
export async function openDatabase(options: {
  databaseUrl?: string;
  dataDir: string;
  port: number;
  database?: string;
  onLog?: (line: string) => void;
}): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    await checkDatabaseReachable(options.databaseUrl);
    return { url: options.databaseUrl, embedded: null, isNew: false };
  }
  try {
    const embedded = await startEmbeddedPostgres({
      dataDir: path.join(options.dataDir, "pg"),
      port: options.port,
      database: options.database ?? "marginalia",
      onLog: options.onLog,
    });
    return { url: embedded.url, embedded, isNew: embedded.isNew };
  } catch (error) {
    throw new StartupError(`The embedded PostgreSQL did not start: ${(error as Error).message}`);
  }
}
