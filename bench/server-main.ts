/**
 * One server under test, in a process of its own so its memory can be
 * measured alone. Run by bench/run.ts as
 *
 *   node --expose-gc --import tsx bench/server-main.ts <marginalia|relay|hocuspocus> [config-json]
 *
 * It listens on a free port on 127.0.0.1, prints `BENCH_READY <port>`, and
 * answers `GET /memory` with `process.memoryUsage()` taken after a full GC,
 * and (marginalia) `GET /metrics` with the collab server's metrics (commit latency, admission).
 * `config-json` goes on top of the collab server's defaults.
 * The marginalia kind needs DATABASE_URL and NEXTAUTH_SECRET.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { CollabServer } from "../server/collab/collab-server";
import type { CollabConfig } from "../server/collab/config";
import { HocuspocusBenchServer } from "./hocuspocus";
import { Relay } from "./relay";

type Server = {
  handleUpgrade: Relay["handleUpgrade"];
  close(): Promise<void> | void;
};

async function main() {
  const kind = process.argv[2];
  let server: Server;
  let metrics: () => unknown = () => null;
  if (kind === "marginalia") {
    const databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl || !process.env.NEXTAUTH_SECRET)
      throw new Error("DATABASE_URL and NEXTAUTH_SECRET are needed.");
    const config = JSON.parse(process.argv[3] ?? "{}") as Partial<CollabConfig>;
    const collab = new CollabServer({ databaseUrl, config });
    await collab.start();
    server = collab;
    metrics = () => collab.metrics();
  } else if (kind === "relay") {
    server = new Relay();
  } else if (kind === "hocuspocus") {
    server = new HocuspocusBenchServer();
  } else {
    throw new Error(`usage: server-main.ts <marginalia|relay|hocuspocus>, got ${kind}`);
  }

  const httpServer = http.createServer((request, response) => {
    if (request.url === "/metrics")
      return response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(metrics()));
    if (request.url !== "/memory") return response.writeHead(404).end();
    const gc = (globalThis as { gc?: () => void }).gc;
    // Twice: the first pass may only queue finalizers.
    gc?.();
    gc?.();
    response
      .writeHead(200, { "Content-Type": "application/json" })
      .end(JSON.stringify({ ...process.memoryUsage(), isAfterGc: Boolean(gc) }));
  });
  httpServer.on("upgrade", (request, socket, head: Buffer) => server.handleUpgrade(request, socket, head));
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  console.log(`BENCH_READY ${(httpServer.address() as AddressInfo).port}`);

  const stop = async () => {
    await server.close();
    httpServer.closeAllConnections();
    httpServer.close(() => process.exit(0));
  };
  process.once("SIGTERM", () => void stop());
  // The parent holds our stdin; if it dies, we go too.
  process.stdin.resume();
  process.stdin.once("end", () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error(`[bench-server] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
