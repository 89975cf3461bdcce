/**
 * `npm run start:cluster -- --processes N [--port P]`: N app processes (server/start.ts) on
 * ports P, P+1, … P+N-1 (P defaults to PORT, else 3001), for a load balancer in front
 * (deploy/nginx.conf; README: Running several processes). It needs DATABASE_URL (one
 * PostgreSQL for all) and REDIS_URL (presence across processes). It builds the app once,
 * starts every process at the same time (they take turns at migrating and seeding), prints the
 * upstream lines for nginx, restarts a process that dies, and passes SIGINT/SIGTERM on to all,
 * each of which drains.
 */
import "dotenv/config";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ensureBuild } from "./bootstrap/build";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function log(line: string) {
  console.log(`[cluster] ${line}`);
}

function fail(message: string): never {
  console.error(`[cluster] ${message}`);
  process.exit(2);
}

async function main() {
  const { values } = parseArgs({
    options: { processes: { type: "string", default: "2" }, port: { type: "string" } },
  });
  const count = Number(values.processes);
  const basePort = Number(values.port ?? process.env.PORT ?? 3001);
  if (!Number.isInteger(count) || count < 1 || count > 64)
    fail("--processes must be a whole number from 1 to 64.");
  if (!Number.isInteger(basePort) || basePort < 1 || basePort + count - 1 > 65535)
    fail("--port must be a port number.");
  if (!process.env.DATABASE_URL)
    fail(
      "Set DATABASE_URL: every process must use the same PostgreSQL (the embedded one serves one process).",
    );
  if (!process.env.REDIS_URL)
    fail("Set REDIS_URL (e.g. redis://127.0.0.1:6379): processes share presence through Redis.");

  await ensureBuild(ROOT, log);
  const children = new Map<number, ChildProcess>();
  let isStopping = false;

  const startProcess = (index: number) => {
    const port = basePort + index;
    const child = spawn(process.execPath, ["--import", "tsx", "server/start.ts", "--no-build"], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const prefix = (chunk: Buffer) =>
      chunk
        .toString()
        .split("\n")
        .filter(Boolean)
        .map((line) => `[${port}] ${line}\n`)
        .join("");
    child.stdout?.on("data", (chunk: Buffer) => process.stdout.write(prefix(chunk)));
    child.stderr?.on("data", (chunk: Buffer) => process.stderr.write(prefix(chunk)));
    child.once("exit", (code, signal) => {
      children.delete(index);
      if (isStopping) {
        if (children.size === 0) process.exit(0);
        return;
      }
      log(`The process on port ${port} exited (${signal ?? code}); restarting it in 1 s.`);
      setTimeout(() => startProcess(index), 1000);
    });
    children.set(index, child);
  };

  for (let index = 0; index < count; index++) startProcess(index);
  log(`Started ${count} process(es). For nginx's marginalia-upstreams.conf (deploy/nginx.conf):`);
  for (let index = 0; index < count; index++)
    console.log(`    server 127.0.0.1:${basePort + index} max_fails=1 fail_timeout=5s;`);

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (isStopping) return;
      isStopping = true;
      log("Draining every process…");
      for (const child of children.values()) child.kill("SIGTERM");
      if (children.size === 0) process.exit(0);
    });
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
