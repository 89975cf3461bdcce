import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "./embedded-postgres";

// A folder every user can reach: as root, PostgreSQL runs as `postgres`.
const folder = mkdtempSync(path.join(tmpdir(), "marginalia-embedded-"));
chmodSync(folder, 0o755);
const dataDir = path.join(folder, "pg");
const port = 54400 + (process.pid % 500);

afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function select(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>("SELECT 41 + 1 AS n");
    return rows[0]?.n ?? -1;
  } finally {
    await client.end();
  }
}

describe("the embedded PostgreSQL", () => {
  it("initialises a new cluster, serves queries and stops", async () => {
    const server = await startEmbeddedPostgres({ dataDir, port, database: "app" });
    expect(server.isNew).toBe(true);
    expect(await select(server.url)).toBe(42);
    await server.stop();
    await expect(select(server.url)).rejects.toThrow();
  });

  it("starts again on the same data without initialising", async () => {
    const server = await startEmbeddedPostgres({ dataDir, port, database: "app" });
    expect(server.isNew).toBe(false);
    expect(await select(server.url)).toBe(42);
    await server.stop();
  });

  it("says which folder the postgres user cannot enter", async () => {
    if (process.getuid?.() !== 0) return expect(process.getuid?.()).not.toBe(0); // only root runs PostgreSQL as another user
    const closed = mkdtempSync(path.join(tmpdir(), "marginalia-closed-"));
    try {
      await expect(
        startEmbeddedPostgres({ dataDir: path.join(closed, "pg"), port, database: "app" }),
      ).rejects.toThrow(`PostgreSQL runs as the \`postgres\` user, which cannot enter ${closed}.`);
    } finally {
      rmSync(closed, { recursive: true, force: true });
    }
  });

  it("recovers from a postmaster left running by a process killed with SIGKILL", async () => {
    // A child process starts the server and is then killed without a chance to stop it.
    const script = `
      import { startEmbeddedPostgres } from ${JSON.stringify(path.resolve(import.meta.dirname, "embedded-postgres.ts"))};
      await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${port}, database: "app" });
      console.log("ready");
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve());
      child.once("exit", (code) => reject(new Error(`child exited early (${code})`)));
    });
    const orphan = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(() => process.kill(orphan, 0)).not.toThrow(); // still alive, holding the port

    const server = await startEmbeddedPostgres({ dataDir, port, database: "app" });
    expect(await select(server.url)).toBe(42);
    expect(() => process.kill(orphan, 0)).toThrow();
    await server.stop();
  });
});
