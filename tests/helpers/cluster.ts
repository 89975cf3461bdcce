/**
 * The documented topology in miniature: N app processes (server/start.ts, as a production
 * deployment) started at the same instant on one new, empty database, sharing Redis, behind
 * Debian's nginx running the shipped deploy/nginx.conf. The test writes only what the
 * shipped file includes (marginalia-upstreams.conf, marginalia-listen.conf) and a main file
 * with its own pid, log and temp paths, all in a temporary directory; nginx runs in the
 * foreground as a child and is killed by its pid.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { ensureBuild } from "../../server/bootstrap/build";
import { freePort } from "./scratch-database";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const NGINX = process.env.NGINX_PATH ?? "/usr/sbin/nginx";
/** The secret every process of the topology shares. */
export const CLUSTER_SECRET = "cluster-test-secret-not-for-production-0123456789";

/** One app process of the topology. */
export type AppProcess = {
  /** Its own port (the balancer's upstream). */
  port: number;
  child: ChildProcess;
  /** Everything it printed. */
  output(): string;
  /** True once it exited. */
  hasExited(): boolean;
};

/** A running topology. */
export type Cluster = {
  /** nginx's URL: what browsers and clients use. */
  url: string;
  /** The new database's connection string. */
  databaseUrl: string;
  processes: AppProcess[];
  /** SIGKILL one app process; resolves once it is gone. */
  kill(index: number): Promise<void>;
  /** nginx's error log so far. */
  nginxLog(): string;
  /** Stops everything and drops the database. */
  stop(): Promise<void>;
};

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Starts the topology. `adminUrl` may create databases; `name` becomes part of the new one's name. */
export async function startCluster(options: {
  adminUrl: string;
  name: string;
  processes: number;
  redisUrl?: string;
}): Promise<Cluster> {
  if (!existsSync(NGINX))
    throw new Error(`nginx is not installed at ${NGINX}: apt-get install nginx (or set NGINX_PATH).`);
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  await ensureBuild(ROOT, (line) => console.log(`[app build] ${line}`));

  const database = `marginalia_${options.name}`;
  const admin = new pg.Client({ connectionString: options.adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();
  const databaseUrl = withDatabase(options.adminUrl, database);

  const nginxPort = await freePort();
  const url = `http://127.0.0.1:${nginxPort}`;
  const ports: number[] = [];
  for (let index = 0; index < options.processes; index++) ports.push(await freePort());

  const processes: AppProcess[] = ports.map((port) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/start.ts", "--no-build"], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: databaseUrl,
        REDIS_URL: redisUrl,
        NEXTAUTH_SECRET: CLUSTER_SECRET,
        NEXTAUTH_URL: url,
        MARGINALIA_TRUSTED_PROXIES: "127.0.0.1",
        PORT: String(port),
        HOST: "127.0.0.1",
        NEXT_TELEMETRY_DISABLED: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    return {
      port,
      child,
      output: () => output,
      hasExited: () => child.exitCode !== null || child.signalCode !== null,
    };
  });
  const dir = mkdtempSync(path.join(tmpdir(), "marginalia-nginx-"));
  let nginx: ChildProcess | null = null;

  const stop = async () => {
    if (nginx?.pid && nginx.exitCode === null) {
      nginx.kill("SIGKILL");
      await exited(nginx);
    }
    await Promise.all(
      processes.map(async ({ child }) => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
        await exited(child);
      }),
    );
    rmSync(dir, { recursive: true, force: true });
    const cleaner = new pg.Client({ connectionString: options.adminUrl });
    await cleaner.connect();
    await cleaner.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await cleaner.end();
  };

  try {
    await Promise.all(
      processes.map(
        (app) =>
          new Promise<void>((resolve, reject) => {
            const timer = setTimeout(
              () => reject(new Error(`An app process did not start within 300 s:\n${app.output()}`)),
              300_000,
            );
            const check = () => {
              if (/running at http/.test(app.output())) {
                clearTimeout(timer);
                resolve();
              }
            };
            app.child.stdout?.on("data", check);
            app.child.once("exit", (code) => {
              clearTimeout(timer);
              reject(new Error(`An app process exited (${code}) before listening:\n${app.output()}`));
            });
          }),
      ),
    );

    // Only the paths and ports around the shipped file are the test's own.
    writeFileSync(
      path.join(dir, "marginalia-upstreams.conf"),
      ports.map((port) => `server 127.0.0.1:${port} max_fails=1 fail_timeout=5s;\n`).join(""),
    );
    writeFileSync(path.join(dir, "marginalia-listen.conf"), `listen 127.0.0.1:${nginxPort};\n`);
    const temp = (name: string) => path.join(dir, name);
    writeFileSync(
      path.join(dir, "nginx.conf"),
      [
        `pid ${temp("nginx.pid")};`,
        `error_log ${temp("error.log")} warn;`,
        "worker_processes 1;",
        "events { worker_connections 1024; }",
        "http {",
        "  access_log off;",
        `  client_body_temp_path ${temp("body")};`,
        `  proxy_temp_path ${temp("proxy")};`,
        `  fastcgi_temp_path ${temp("fastcgi")};`,
        `  uwsgi_temp_path ${temp("uwsgi")};`,
        `  scgi_temp_path ${temp("scgi")};`,
        `  include ${path.join(ROOT, "deploy", "nginx.conf")};`,
        "}",
        "",
      ].join("\n"),
    );
    const started = spawn(
      NGINX,
      ["-p", dir, "-e", temp("error.log"), "-c", temp("nginx.conf"), "-g", "daemon off;"],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    nginx = started;
    let nginxOutput = "";
    started.stderr?.on("data", (chunk: Buffer) => (nginxOutput += chunk.toString()));
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (started.exitCode !== null)
        throw new Error(`nginx exited (${started.exitCode}):\n${nginxOutput}${readLog(temp("error.log"))}`);
      const answer = await fetch(`${url}/healthz`).catch(() => null);
      if (answer?.ok) break;
      if (Date.now() > deadline) throw new Error(`nginx did not answer within 10 s:\n${nginxOutput}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    url,
    databaseUrl,
    processes,
    async kill(index) {
      const { child } = processes[index] as AppProcess;
      child.kill("SIGKILL");
      await exited(child);
    },
    nginxLog: () => readLog(path.join(dir, "error.log")),
    stop,
  };
}

function readLog(file: string): string {
  return existsSync(file) ? readFileSync(file, "utf8") : "";
}
