/**
 * `npm run collab`: the collab server alone, on its own port (COLLAB_PORT,
 * default 1234), for deployments that run several of them behind one app.
 * It needs the app's DATABASE_URL and NEXTAUTH_SECRET (to read its session
 * cookies), and NEXTAUTH_URL (required with NODE_ENV=production) or
 * MARGINALIA_ALLOWED_ORIGINS for the Origin check.
 */
import "dotenv/config";
import http from "node:http";
import { getEnv, requireAppUrl } from "../lib/server/env";
import { CollabServer } from "./collab/collab-server";
import { configurationFromEnv } from "./collab/config";
import { isAdmissionRequest, serveAdmission } from "./collab/admission-endpoint";
import { serveMetrics } from "./http-server";
import { createLogger } from "./log";

async function main() {
  const env = getEnv();
  if (!env.DATABASE_URL || !env.NEXTAUTH_SECRET) {
    console.error(
      "[collab] Set DATABASE_URL and NEXTAUTH_SECRET (the app's own) to run the collab server alone.",
    );
    process.exit(1);
  }
  if (env.NODE_ENV === "production") {
    try {
      requireAppUrl(env);
    } catch (error) {
      console.error(`[collab] ${(error as Error).message}`);
      process.exit(1);
    }
  }
  const port = env.COLLAB_PORT;
  const collab = new CollabServer({
    databaseUrl: env.DATABASE_URL,
    listenDatabaseUrl: env.DIRECT_DATABASE_URL,
    config: configurationFromEnv(env),
    log: createLogger(),
  });
  await collab.start();
  const server = http.createServer((request, response) => {
    if (request.url === "/collab/metrics") return serveMetrics(collab, request, response);
    if (isAdmissionRequest(request)) return serveAdmission(collab, request, response);
    response
      .writeHead(404, { "Content-Type": "text/plain" })
      .end("This is Marginalia's collab server: connect to /collab/<room>.");
  });
  server.on("upgrade", (request, socket, head: Buffer) => {
    if (request.url?.startsWith("/collab/")) collab.handleUpgrade(request, socket, head);
    else socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
  });
  server.listen(port, env.HOST, () => console.log(`[collab] listening on ${env.HOST}:${port}`));

  let isStopping = false;
  const stop = async () => {
    if (isStopping) return;
    isStopping = true;
    await collab.close();
    server.close();
    const { disconnectDb } = await import("../lib/server/db");
    await disconnectDb();
    process.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stop());
}

main().catch((error: unknown) => {
  console.error(`[collab] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
