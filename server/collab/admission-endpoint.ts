/**
 * GET /collab/admission, served by every HTTP server that hosts the collab
 * server (server/http-server.ts, server/collab-main.ts, the tests' harness).
 */
import type http from "node:http";
import { COLLAB_ADMISSION_PATH } from "@/lib/shared/urls";
import type { AdmissionVerdict } from "./collab-server";

/**
 * GET /collab/admission: what a websocket upgrade from this client would get
 * now (200, or 429/503 with Retry-After), since a browser cannot read the
 * status of a refused upgrade. The same checks as the upgrade, without
 * spending a token or querying the database.
 */
export function serveAdmission(
  collab: { admissionVerdict(request: http.IncomingMessage): Promise<AdmissionVerdict> },
  request: http.IncomingMessage,
  response: http.ServerResponse,
) {
  const headers = { "Content-Type": "application/json", "Cache-Control": "no-store" };
  collab
    .admissionVerdict(request)
    .then((verdict) => {
      if (verdict.isAdmitted) return response.writeHead(200, headers).end(JSON.stringify(verdict));
      response
        .writeHead(verdict.status, { ...headers, "Retry-After": String(verdict.retryAfterSeconds) })
        .end(JSON.stringify(verdict));
    })
    .catch(() => response.writeHead(500, headers).end(JSON.stringify({ error: "No verdict; try again." })));
}

/** True for GET /collab/admission (any query string). */
export function isAdmissionRequest(request: http.IncomingMessage): boolean {
  return request.method === "GET" && request.url?.split("?")[0] === COLLAB_ADMISSION_PATH;
}
