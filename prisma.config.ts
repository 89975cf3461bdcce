import { defineConfig } from "prisma/config";

// Prisma 7 keeps the connection string out of the schema. Migrations run
// through prisma/migrate.ts (the wasm schema engine), which reads the same URL.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
