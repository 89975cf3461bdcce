/**
 * `npm start` serves a production build of the app, building it first when
 * the sources changed since the last build (a fingerprint of the files Next
 * compiles), so the second start answers in seconds.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const INPUTS = [
  "app",
  "lib/shared",
  "lib/client",
  "lib/server",
  "public",
  "next.config.js",
  "proxy.ts",
  "tsconfig.json",
  "package-lock.json",
];
const SKIP = new Set(["node_modules", ".next", ".data", "generated"]);

function walk(root: string, file: string, out: string[]) {
  const full = path.join(root, file);
  if (!existsSync(full)) return;
  const stat = statSync(full);
  if (stat.isDirectory()) {
    for (const name of readdirSync(full).sort()) if (!SKIP.has(name)) walk(root, path.join(file, name), out);
  } else {
    out.push(`${file}:${stat.size}:${stat.mtimeMs}`);
  }
}

/** A hash of the paths, sizes and times of every file the build reads (and of the options it reads from the environment). */
export function sourceFingerprint(root: string): string {
  const entries: string[] = [`browser source maps: ${process.env.MARGINALIA_BROWSER_SOURCE_MAPS === "1"}`];
  for (const input of INPUTS) walk(root, input, entries);
  return createHash("sha256").update(entries.join("\n")).digest("hex");
}

const stampPath = (root: string) => path.join(root, ".next", "marginalia-build.json");

/** True when .next holds a production build of the current sources. */
export function isBuildFresh(root: string): boolean {
  if (!existsSync(path.join(root, ".next", "BUILD_ID")) || !existsSync(stampPath(root))) return false;
  try {
    const stamp = JSON.parse(readFileSync(stampPath(root), "utf8")) as { fingerprint?: string };
    return stamp.fingerprint === sourceFingerprint(root);
  } catch {
    return false;
  }
}

/**
 * Runs `next build` when the build is stale; resolves when .next is fresh.
 * One build at a time per checkout: a lock folder (atomic mkdir) holding the
 * builder's pid; others wait for it, and a lock whose process died is taken over.
 */
export async function ensureBuild(root: string, log: (line: string) => void): Promise<void> {
  if (isBuildFresh(root)) return;
  const lock = path.join(root, ".next-build.lock");
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(path.join(lock, "pid"), String(process.pid));
      break;
    } catch {
      let holder = 0;
      try {
        holder = Number(readFileSync(path.join(lock, "pid"), "utf8"));
      } catch {
        holder = 0;
      }
      if (holder && !isAlive(holder)) rmSync(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 250));
      if (isBuildFresh(root)) return;
    }
  }
  try {
    if (!isBuildFresh(root)) await runBuild(root, log);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function runBuild(root: string, log: (line: string) => void): Promise<void> {
  const fingerprint = sourceFingerprint(root);
  log("Building the app (first start, or the sources changed)…");
  const started = Date.now();
  const require = createRequire(path.join(root, "package.json"));
  const nextBin = require.resolve("next/dist/bin/next");
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, "build"], {
      cwd: root,
      env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`next build failed:\n${output.trim()}`));
    });
  });
  writeFileSync(stampPath(root), JSON.stringify({ fingerprint, builtAt: new Date().toISOString() }));
  log(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}
