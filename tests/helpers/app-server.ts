/**
 * Starts the whole app (`server/start.ts`: Next, API and collab on one port)
 * in a child process against this test file's database, on a free port, as a
 * production deployment: NODE_ENV=production with its own NEXTAUTH_SECRET and
 * NEXTAUTH_URL (http://127.0.0.1:<port>, the origin tests and browsers use).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureBuild } from "../../server/bootstrap/build";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** A running app. */
export type AppServer = {
  /** Base URL, e.g. http://localhost:41234 */
  url: string;
  /** The child process. */
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** SIGTERM, then wait for exit. */
  stop(): Promise<void>;
};

/** Starts the app; resolves once it listens. Builds it first when its sources changed (one build per run). */
export async function startAppServer(
  env: Record<string, string> = {},
  options: { startTimeoutMs?: number } = {},
): Promise<AppServer> {
  // Two minutes by default: on a loaded two-core machine Next alone has taken over a minute to start.
  const startTimeoutMs = options.startTimeoutMs ?? 120_000;
  await ensureBuild(ROOT, (line) => console.log(`[app build] ${line}`));
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is not set; the test database setup did not run.");
  // A deployment must name its URL, so the port is chosen before the start.
  const port = await findFreePort();
  // BENCH_CPU_PROF=<dir>: the app writes a V8 CPU profile there when it stops, as the bench's
  // own servers do (bench/README.md); Node refuses --cpu-prof in NODE_OPTIONS.
  const profileDir = process.env.BENCH_CPU_PROF;
  const nodeFlags = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...nodeFlags, "--import", "tsx", "server/start.ts", "--no-build"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? "test-secret-not-for-production-0123456789",
      PORT: String(port),
      HOST: "127.0.0.1",
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      NEXT_TELEMETRY_DISABLED: "1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The app did not start within ${startTimeoutMs / 1000} s:\n${output}`)),
      startTimeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/localhost:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve((match[1] as string).replace("localhost", "127.0.0.1"));
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`The app exited (${code}) before listening:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** A port nothing listens on right now (the kernel's pick for port 0). */
function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("No free port was found."))));
    });
  });
}
