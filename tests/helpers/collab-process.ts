/**
 * A collab server in a child process (tests/collab/fixtures/collab-child.ts),
 * so a test can `kill -9` it and start another on the same port and database.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CollabConfig } from "../../server/collab/config";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CHILD_ENTRY = path.join(ROOT, "tests/collab/fixtures/collab-child.ts");

/** A running child collab server. */
export type CollabProcess = {
  /** The child's pid. */
  pid: number;
  /** The port it listens on. */
  port: number;
  /** `ws://127.0.0.1:<port>/collab` */
  url: string;
  /** The Origin it allows (its own host). */
  origin: string;
  /** The last of what the child wrote to stderr (for failure messages). */
  stderrTail(): string;
  /** The last 50 lines of stderr that are not a routine refusal of a bad frame. */
  notableStderr(): string;
  /** True once the process has exited (a crash, unless we stopped it). */
  hasExited(): boolean;
  /** SIGKILL; resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (graceful close), SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
};

/** A child that has loaded its code and waits to be told where to listen. */
export type StandbyCollabProcess = {
  /** Starts the server on `port` (0: a free one); resolves once it listens. */
  listen(options?: {
    port?: number;
    config?: Partial<CollabConfig>;
    timeoutMs?: number;
  }): Promise<CollabProcess>;
  /** Ends the child without starting it. */
  kill(): Promise<void>;
};

/** Spawns collab-child.ts in standby under `node --import tsx`; resolves once its code is loaded. */
export async function spawnStandbyCollab(
  options: {
    databaseUrl?: string;
    timeoutMs?: number;
    /** Extra flags for node, e.g. `--expose-gc` for `GET /collab/memory?gc=1`. */
    nodeFlags?: string[];
  } = {},
): Promise<StandbyCollabProcess> {
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
  const secret = process.env.NEXTAUTH_SECRET;
  if (!databaseUrl || !secret) throw new Error("A collab child needs DATABASE_URL and NEXTAUTH_SECRET.");
  const child = spawn(
    process.execPath,
    [...(options.nodeFlags ?? []), "--import", "tsx", CHILD_ENTRY, "standby"],
    {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, NEXTAUTH_SECRET: secret },
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // Writing to a killed child's stdin fails with EPIPE; that is expected.
  child.stdin?.on("error", () => undefined);
  const stderr: string[] = [];
  // Lines other than the routine refusals of bad frames, which flood the tail during fuzzing.
  const notable: string[] = [];
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr.push(chunk);
    if (stderr.length > 100) stderr.shift();
    for (const line of chunk.split("\n")) {
      if (line === "" || line.includes("] protocol-error ") || line.includes("] update-refused ")) continue;
      notable.push(line);
      if (notable.length > 50) notable.shift();
    }
  });
  const stderrTail = () => stderr.join("").slice(-3000);
  const lines = lineReader(child);
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
    child.stdin?.destroy();
  };

  try {
    await lines.next("COLLAB_STANDBY", options.timeoutMs ?? 30_000, stderrTail);
  } catch (error) {
    await signal("SIGKILL");
    throw error;
  }
  return {
    kill: () => signal("SIGKILL"),
    async listen({ port = 0, config = {}, timeoutMs = 20_000 } = {}) {
      // stdin stays open: the child exits when it closes, i.e. when this process dies.
      child.stdin?.write(`${JSON.stringify({ port, config })}\n`);
      let line: string;
      try {
        line = await lines.next("COLLAB_READY ", timeoutMs, stderrTail);
      } catch (error) {
        await signal("SIGKILL");
        throw error;
      }
      const actualPort = Number(line.slice("COLLAB_READY ".length));
      return {
        pid: child.pid as number,
        port: actualPort,
        url: `ws://127.0.0.1:${actualPort}/collab`,
        origin: `http://127.0.0.1:${actualPort}`,
        stderrTail,
        notableStderr: () => notable.join("\n"),
        hasExited: () => child.exitCode !== null || child.signalCode !== null,
        kill: () => signal("SIGKILL"),
        async stop(graceMs = 5000) {
          const timer = setTimeout(() => void signal("SIGKILL"), graceMs);
          await signal("SIGTERM");
          clearTimeout(timer);
        },
      };
    },
  };
}

/** Starts a collab child listening on `port` (0: a free one); resolves once it listens. */
export async function startCollabProcess(
  options: {
    port?: number;
    config?: Partial<CollabConfig>;
    databaseUrl?: string;
    /** Node flags for the child (e.g. `--cpu-prof`). */
    nodeFlags?: string[];
  } = {},
): Promise<CollabProcess> {
  const standby = await spawnStandbyCollab({
    databaseUrl: options.databaseUrl,
    nodeFlags: options.nodeFlags,
  });
  return standby.listen({ port: options.port, config: options.config });
}

/** Reads the child's stdout line by line; `next(prefix)` resolves with the next line that starts with it. */
function lineReader(child: ChildProcess) {
  const seen: string[] = [];
  let buffered = "";
  let waiter: { prefix: string; resolve: (line: string) => void } | null = null;
  const offer = () => {
    if (!waiter) return;
    const index = seen.findIndex((line) => line.startsWith(waiter?.prefix ?? ""));
    if (index < 0) return;
    const [line] = seen.splice(0, index + 1).slice(-1);
    const { resolve } = waiter;
    waiter = null;
    resolve(line as string);
  };
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split("\n");
    buffered = parts.pop() ?? "";
    seen.push(...parts);
    if (seen.length > 100) seen.splice(0, seen.length - 100);
    offer();
  });
  return {
    next(prefix: string, timeoutMs: number, stderrTail: () => string): Promise<string> {
      return new Promise((resolve, reject) => {
        const onExit = (code: number | null, signal: string | null) =>
          fail(`exited (code ${code}, signal ${signal}) before printing ${prefix.trim()}`);
        const timer = setTimeout(() => fail(`printed no ${prefix.trim()} within ${timeoutMs} ms`), timeoutMs);
        const done = () => {
          clearTimeout(timer);
          child.off("exit", onExit);
        };
        const fail = (why: string) => {
          done();
          waiter = null;
          reject(new Error(`The collab child ${why}. Its stderr:\n${stderrTail()}`));
        };
        child.once("exit", onExit);
        waiter = {
          prefix,
          resolve: (line) => {
            done();
            resolve(line);
          },
        };
        offer();
      });
    },
  };
}
