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

  it("refuses a production deployment without NEXTAUTH_URL", () => {
    const result = start({ NODE_ENV: "production", NEXTAUTH_SECRET: "a-secret", NEXTAUTH_URL: "" });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(
      /^\[marginalia\] NEXTAUTH_URL is not set\. A production deployment needs the public URL it is served at/,
    );
  });

  it("refuses a NEXTAUTH_URL that is not an http(s) URL", () => {
    const result = start({ NODE_ENV: "production", NEXTAUTH_SECRET: "a-secret", NEXTAUTH_URL: "ftp://x" });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(
      /^\[marginalia\] Invalid environment: NEXTAUTH_URL: Use the app's public http:\/\/ or https:\/\/ URL\.$/,
    );
  });

  it("goes on past the check when a production deployment sets NEXTAUTH_URL", () => {
    const result = start({
      NODE_ENV: "production",
      NEXTAUTH_SECRET: "a-secret",
      NEXTAUTH_URL: "https://marginalia.example.org",
      DATABASE_URL: "postgresql://nobody@127.0.0.1:1/nowhere",
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(/^\[marginalia\] Cannot reach the database at 127\.0\.0\.1:1/);
  });

  it("lets local use (no NODE_ENV from outside) start without NEXTAUTH_URL", () => {
    const result = start({
      NODE_ENV: "",
      NEXTAUTH_URL: "",
      DATABASE_URL: "postgresql://nobody@127.0.0.1:1/nowhere",
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(/^\[marginalia\] Cannot reach the database at 127\.0\.0\.1:1/);
  });
});
