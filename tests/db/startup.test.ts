import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, ["--import", "tsx", "server/start.ts", "--no-build"], {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
}

describe("starting with a bad DATABASE_URL", () => {
  it.each([
    [
      "a server that is not there",
      "postgresql://nobody@127.0.0.1:1/nowhere",
      /^\[marginalia\] Cannot reach the database at 127\.0\.0\.1:1\/nowhere \(DATABASE_URL\): ECONNREFUSED\.$/,
    ],
    ["not a URL", "not a url", /^\[marginalia\] DATABASE_URL is not a valid URL/],
    [
      "another scheme",
      "mysql://root@127.0.0.1/db",
      /^\[marginalia\] DATABASE_URL must start with postgresql:\/\//,
    ],
  ])("says so in one line for %s and exits 1", (_name, url, message) => {
    const result = start({ DATABASE_URL: url });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });

  it("refuses a production deployment without NEXTAUTH_SECRET", () => {
    const result = start({ NODE_ENV: "production", NEXTAUTH_SECRET: "" });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(
      /^\[marginalia\] NEXTAUTH_SECRET is not set\. A production deployment needs its own secret/,
    );
  });
});
