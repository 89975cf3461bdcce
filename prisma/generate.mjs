// Runs `prisma generate` without letting the Prisma CLI download its native
// schema engine: generate never runs the engine, so any executable will do
// (the binary host is unreachable on some machines; see docs/adr/0002).
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
let cli;
try {
  cli = require.resolve("prisma/build/index.js");
} catch {
  console.error("prisma is not installed; run `npm install` first.");
  process.exit(1);
}
const result = spawnSync(process.execPath, [cli, "generate"], {
  stdio: ["ignore", "pipe", "inherit"],
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  },
});
if (result.status !== 0) {
  process.stdout.write(result.stdout ?? "");
  process.exit(result.status ?? 1);
}
console.log("prisma: client generated in lib/server/generated/prisma");
