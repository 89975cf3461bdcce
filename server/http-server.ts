/**
 * One HTTP server for the whole app: Next renders pages and the API, and
 * upgrades under /collab/ go to the collab server. Next attaches its own
 * upgrade listener (for HMR in dev), so we claim only /collab/* and leave
 * every other upgrade to it.
 */
import http from "node:http";
import type { Duplex } from "node:stream";
import next from "next";
import { getEnv } from "../lib/server/env";
import { findDisallowedInUrl } from "../lib/shared/validation/text";
import { MAX_UPLOAD_BYTES, uploadTooLargeMessage } from "../lib/shared/validation/uploads";
import { isAdmissionRequest, serveAdmission } from "./collab/admission-endpoint";
import type { AdmissionVerdict } from "./collab/collab-server";
import type { Readiness } from "./readiness";

/** The collab server as the HTTP server sees it. */
export type CollabEndpoint = {
  /** Handles a websocket upgrade for /collab/*. */
  handleUpgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Numbers for GET /collab/metrics. */
  metrics(): unknown;
  /** The verdict for GET /collab/admission. */
  admissionVerdict(request: http.IncomingMessage): Promise<AdmissionVerdict>;
};

/** Options for {@link startHttpServer}. */
export type HttpServerOptions = {
  /** Project root (where .next lives). */
  dir: string;
  /** Next in development mode (HMR) instead of the production build. */
  dev: boolean;
  /** Port; 0 picks a free one. */
  port: number;
  /** Interface. */
  hostname: string;
  /** The collab server, if it runs in this process. */
  collab?: CollabEndpoint;
  /** The checks behind GET /readyz; without it /readyz answers as /healthz. */
  readiness?: () => Promise<Readiness>;
};

/** A listening app server. */
export type HttpServer = {
  /** The server itself. */
  server: http.Server;
  /** The port it listens on. */
  port: number;
  /** Stops accepting connections and closes idle ones. */
  close(): Promise<void>;
};

/**
 * GET /collab/metrics: counts only (rooms, connections, traffic, commit
 * latency). Answered to loopback clients, or to anyone presenting
 * MARGINALIA_METRICS_TOKEN as a bearer token.
 */
export function serveMetrics(
  collab: CollabEndpoint,
  request: http.IncomingMessage,
  response: http.ServerResponse,
) {
  const token = getEnv().MARGINALIA_METRICS_TOKEN;
  const address = request.socket.remoteAddress ?? "";
  const isLoopback = address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1";
  const isAuthorized = token ? request.headers.authorization === `Bearer ${token}` : isLoopback;
  if (!isAuthorized) {
    response.writeHead(403, { "Content-Type": "text/plain" }).end("Metrics are served to localhost only.");
    return;
  }
  response.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" });
  response.end(JSON.stringify(collab.metrics()));
}

/**
 * Answers 400 for an address holding what no text input may hold (NUL, a lone
 * surrogate, a noncharacter, bytes that are not UTF-8), before a page or route
 * passes it to Postgres (issue 9 §4: a NUL in a join code was a 500). Checked
 * here because Next re-encodes the query before the app sees it, turning
 * bytes that are not UTF-8 into U+FFFD. True when it answered.
 */
export function refuseDisallowedAddress(
  request: http.IncomingMessage,
  response: http.ServerResponse,
): boolean {
  const problem = findDisallowedInUrl(new URL(request.url ?? "/", "http://localhost"));
  if (!problem) return false;
  if (request.url?.startsWith("/api/")) {
    response.writeHead(400, { "Content-Type": "application/json" });
    response.end(JSON.stringify({ error: { code: "invalid_input", message: problem.message } }));
  } else {
    response.writeHead(400, { "Content-Type": "text/plain; charset=utf-8" }).end(problem.message);
  }
  return true;
}

/**
 * GET /healthz (the process is alive) and GET /readyz (it can serve: readiness.ts), for a load
 * balancer's checks; never cached. True when it answered.
 */
function serveHealth(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  readiness: HttpServerOptions["readiness"],
): boolean {
  const pathname = (request.url ?? "").split("?")[0];
  if (pathname !== "/healthz" && pathname !== "/readyz") return false;
  const answer = (status: number, body: unknown) =>
    response
      .writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" })
      .end(JSON.stringify(body));
  if (pathname === "/healthz" || !readiness) {
    answer(200, { status: "ok", pid: process.pid });
    return true;
  }
  readiness()
    .then((result) =>
      answer(result.isReady ? 200 : 503, {
        status: result.isReady ? "ready" : "not ready",
        pid: process.pid,
        ...result.checks,
      }),
    )
    .catch((error: unknown) => answer(503, { status: "not ready", error: String(error).slice(0, 200) }));
  return true;
}

/** How long an oversized upload's body is read and thrown away before its socket is closed. */
const DISCARD_UPLOAD_MS = 10_000;

/**
 * Answers 413 for an upload whose Content-Length is over the limit, before
 * any of its body is kept: Next's proxy would otherwise buffer it first.
 * (A body sent without a length is counted as it streams, in the route.)
 * True when it answered.
 */
export function refuseOversizedUpload(request: http.IncomingMessage, response: http.ServerResponse): boolean {
  if (request.method !== "POST" || !request.url?.startsWith("/api/uploads")) return false;
  const length = Number(request.headers["content-length"] ?? 0);
  if (!(length > MAX_UPLOAD_BYTES)) return false;
  response.writeHead(413, { "Content-Type": "application/json" });
  response.end(JSON.stringify({ error: { code: "too_large", message: uploadTooLargeMessage() } }));
  // Discard what the client goes on sending (nothing is kept), for a while: closing the socket
  // under a client that is still sending makes the kernel answer with a reset, which drops the
  // 413 from the client's receive buffer before it reads it.
  const giveUp = setTimeout(() => request.socket.destroy(), DISCARD_UPLOAD_MS);
  request.on("close", () => clearTimeout(giveUp));
  request.resume();
  return true;
}

/** Prepares Next and starts listening. */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const server = http.createServer();
  const app = next({
    dev: options.dev,
    dir: options.dir,
    hostname: "localhost",
    port: options.port,
    httpServer: server,
  });
  const handle = app.getRequestHandler();
  await app.prepare();

  server.on("request", (request, response) => {
    if (refuseDisallowedAddress(request, response)) return;
    if (serveHealth(request, response, options.readiness)) return;
    if (refuseOversizedUpload(request, response)) return;
    if (options.collab && request.url === "/collab/metrics")
      return serveMetrics(options.collab, request, response);
    if (options.collab && isAdmissionRequest(request))
      return serveAdmission(options.collab, request, response);
    void handle(request, response);
  });
  server.on("upgrade", (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!request.url?.startsWith("/collab/")) return; // Next's own listener takes it.
    if (options.collab) options.collab.handleUpgrade(request, socket, head);
    else socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;

  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      }),
  };
}
