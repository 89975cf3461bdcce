import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: { "@": path.resolve(import.meta.dirname) },
  },
  test: {
    include: ["lib/**/*.test.ts", "server/**/*.test.ts", "prisma/**/*.test.ts", "tests/**/*.test.ts"],
    globalSetup: ["tests/setup/global-setup.ts"],
    setupFiles: ["tests/setup/test-database.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    // Real browsers and servers run two files at a time on 2 cores: what a poll waits for (a
    // reply posted, a card placed) can take seconds under that load. Vitest's 1 s default made
    // tests fail without anything being wrong; a poll still fails once this has passed.
    expect: { poll: { timeout: 10_000 } },
    // Browser and collab tests start real servers; two at a time suits 2 cores.
    maxWorkers: 2,
    reporters: ["default"],
  },
});
